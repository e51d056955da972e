/** Keeps the last `limit` characters written to it (e.g. a child process's stderr). */
export interface OutputTail {
  append(chunk: string | Buffer): void;
  text(): string;
}

export function createOutputTail(limit = 4000): OutputTail {
  let buffer = '';
  return {
    append(chunk) {
      buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (buffer.length > limit) buffer = buffer.slice(buffer.length - limit);
    },
    text() {
      return buffer.trim();
    },
  };
}
