import { describe, expect, it } from 'vitest';
import { createOutputTail } from './output-tail.js';

describe('createOutputTail', () => {
  it('keeps only the last characters written', () => {
    const tail = createOutputTail(10);
    tail.append('0123456789');
    tail.append(Buffer.from('abcdef'));
    expect(tail.text()).toBe('6789abcdef');
  });
});
