import { signAwsRequest } from './aws-sigv4';

describe('signAwsRequest', () => {
  it('reproduces the AWS documentation example (IAM ListUsers, 2015-08-30)', () => {
    const headers = signAwsRequest(
      {
        method: 'GET',
        url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: '',
      },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      'us-east-1',
      'iam',
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });

  it('adds the session token when present', () => {
    const headers = signAwsRequest(
      {
        method: 'GET',
        url: new URL('https://bedrock.eu-central-1.amazonaws.com/foundation-models'),
        headers: {},
        body: '',
      },
      { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'TOKEN' },
      'eu-central-1',
      'bedrock',
    );
    expect(headers['x-amz-security-token']).toBe('TOKEN');
    expect(headers.authorization).toContain('x-amz-security-token');
  });
});
