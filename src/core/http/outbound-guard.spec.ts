import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

import { guardedConnector, OutboundGuard, outboundGuard, setOutboundGuard } from './outbound-guard';

describe('OutboundGuard (SSRF)', () => {
  it('always refuses link-local and metadata addresses, whatever the allow-list', () => {
    const guard = new OutboundGuard(['linklocal', '169.254.0.0/16', 'private'], true);
    expect(guard.refusal('169.254.169.254')).toMatch(/never allowed/);
    expect(guard.refusal('::ffff:169.254.169.254')).toMatch(/never allowed/);
    expect(guard.refusal('fe80::1')).toMatch(/never allowed/);
    expect(guard.refusal('fd00:ec2::254')).toMatch(/never allowed/);
    expect(guard.refusal('0.0.0.0')).toMatch(/never allowed/);
  });

  it('refuses private ranges unless listed, and says how to allow them', () => {
    const guard = new OutboundGuard();
    expect(guard.refusal('10.1.2.3')).toMatch(
      /private address; to allow it.*10\.0\.0\.0\/8.*PROVIDER_URL_ALLOW/,
    );
    expect(guard.refusal('192.168.1.10', 'vllm.internal')).toMatch(/vllm\.internal \(192\.168\.1\.10\)/);
    expect(new OutboundGuard(['10.0.0.0/8']).refusal('10.1.2.3')).toBeUndefined();
    expect(new OutboundGuard(['vllm.internal']).refusal('192.168.1.10', 'vllm.internal')).toBeUndefined();
    expect(new OutboundGuard(['private']).refusal('fd12::1')).toBeUndefined();
  });

  it('refuses loopback unless allowed (production default) and lets public addresses through', () => {
    expect(new OutboundGuard().refusal('127.0.0.1')).toMatch(/loopback/);
    expect(new OutboundGuard([], true).refusal('127.0.0.1')).toBeUndefined();
    expect(new OutboundGuard(['loopback']).refusal('::1')).toBeUndefined();
    expect(new OutboundGuard().refusal('93.184.216.34')).toBeUndefined();
  });

  it('checks URLs on the resolved address (a public-looking name that resolves to loopback)', async () => {
    const guard = new OutboundGuard();
    expect(await guard.checkUrl('http://169.254.169.254/latest/meta-data')).toMatch(/never allowed/);
    expect(await guard.checkUrl('http://localhost:11434')).toMatch(/localhost \(.*\) is a loopback/);
    expect(await guard.checkUrl('http://[::1]:8000')).toMatch(/loopback/);
  });

  describe('at connect time (DNS rebinding cannot get around the save-time check)', () => {
    let server: Server;
    let port: number;
    const saved = outboundGuard();
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      setOutboundGuard(saved);
      await new Promise((resolve) => server.close(resolve));
    });

    async function get(origin: string): Promise<string> {
      const pool = new Pool(origin, { connect: guardedConnector({ timeout: 2000 }) });
      try {
        const res = await pool.request({ path: '/', method: 'GET' });
        return await res.body.text();
      } finally {
        await pool.close();
      }
    }

    it('refuses a name and an IP literal that reach a refused address when the connection opens', async () => {
      setOutboundGuard(new OutboundGuard());
      await expect(get(`http://localhost:${port}`)).rejects.toThrow(/loopback address/);
      await expect(get(`http://127.0.0.1:${port}`)).rejects.toThrow(/loopback address/);
    });

    it('connects once the address is allowed', async () => {
      setOutboundGuard(new OutboundGuard(['loopback']));
      expect(await get(`http://localhost:${port}`)).toBe('ok');
      expect(await get(`http://127.0.0.1:${port}`)).toBe('ok');
    });
  });
});
