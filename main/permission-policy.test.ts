import { describe, expect, it } from 'vitest';
import { isPermissionAllowed } from './permission-policy.js';

describe('isPermissionAllowed', () => {
  it('denies device and notification permissions to everyone, including the app', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'usb', 'hid', 'serial', 'openExternal', 'clipboard-read']) {
      expect(isPermissionAllowed(permission, 'app://fstore/index.html'), permission).toBe(false);
    }
  });

  it('lets the app write the clipboard and reach the loopback service', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://fstore')).toBe(true);
    expect(isPermissionAllowed('local-network-access', 'app://fstore/')).toBe(true);
    expect(isPermissionAllowed('loopback-network', 'app://fstore/index.html')).toBe(true);
  });

  it('gives nothing to other origins', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(isPermissionAllowed('local-network-access', 'https://evil.example')).toBe(false);
    expect(isPermissionAllowed('loopback-network', undefined)).toBe(false);
  });
});
