export default async function globalTeardown(): Promise<void> {
  await globalThis.__PRISM_TEST_DB__?.stop();
}
