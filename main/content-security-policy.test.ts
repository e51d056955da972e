import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from './content-security-policy.js';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('buildContentSecurityPolicy', () => {
  it('is strict by default: own scripts only, loopback service, blob workers', () => {
    const csp = buildContentSecurityPolicy();
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self' http://127.0.0.1:* http://localhost:*; worker-src 'self' blob:",
    );
    expect(csp).not.toContain('unsafe-eval');
  });

  it('adds only the origin of a configured remote service to connect-src', () => {
    const csp = buildContentSecurityPolicy({ remoteServiceOrigin: 'https://fstore.example.com:8443/base/path?x=1' });
    expect(directives(csp).get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:*',
      'http://localhost:*',
      'https://fstore.example.com:8443',
    ]);
    expect(directives(csp).get('script-src')).toEqual(["'self'"]);
  });

  it('refuses remote origins that are not http(s)', () => {
    expect(() => buildContentSecurityPolicy({ remoteServiceOrigin: "javascript:alert(1)" })).toThrow(/http/);
    expect(() => buildContentSecurityPolicy({ remoteServiceOrigin: 'not a url' })).toThrow();
  });
});
