import { describe, expect, it } from 'vitest';
import { externalLinkToOpen, isAllowedNavigation } from './navigation-policy.js';

describe('isAllowedNavigation', () => {
  it('allows only the app origin', () => {
    expect(isAllowedNavigation('app://fstore/index.html')).toBe(true);
    expect(isAllowedNavigation('app://fstore/features?x=1')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8000/',
      'file:///etc/passwd',
      'app://other/index.html',
      'app://user:pw@fstore/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });
});

describe('externalLinkToOpen', () => {
  it('passes plain http(s) links to the OS browser', () => {
    expect(externalLinkToOpen('https://docs.example.com/feast?x=1')).toBe('https://docs.example.com/feast?x=1');
    expect(externalLinkToOpen('http://127.0.0.1:8000/docs')).toBe('http://127.0.0.1:8000/docs');
  });

  it('refuses every other scheme, credentials and garbage', () => {
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'smb://host/share',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'app://fstore/index.html',
      'https://user:secret@example.com/',
      'mailto:someone@example.com',
      '',
      '   ',
    ]) {
      expect(externalLinkToOpen(url), url).toBeUndefined();
    }
  });
});
