// Capturing what aiosim writes to stderr (the last-resort log handler, warnings, a thread's
// "Exception in thread …"), for tests that assert on it.

/** What `fn` writes to stderr (through aiosim's handlers), instead of printing it. */
export function captureStderr(fn: () => void): string {
  const outer = process.stderr.write;
  const seen: string[] = [];
  process.stderr.write = ((chunk: unknown) => {
    seen.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stderr.write = outer;
  }
  return seen.join('');
}
