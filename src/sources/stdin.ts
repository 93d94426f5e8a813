/** Set by the CLI's stdin guard (src/cli/stdin-guard.ts): the descriptor holding the user's standard input. */
export const STDIN_FD_ENV = 'SIFTLOG_STDIN_FD';

/** Standard input as `ingest -` reads it: the moved descriptor when the guard re-ran siftlog, else fd 0. */
export function userStdinFd(): number {
  const moved = process.env[STDIN_FD_ENV];
  return moved === undefined ? 0 : Number(moved);
}
