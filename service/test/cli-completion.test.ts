import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { completionScript } from '../src/cli/completion.js';
import { buildCli } from '../src/cli/main.js';

/** What a real bash offers after the words typed (the last one being completed). */
function bashCompletes(script: string, ...words: string[]): string[] {
  const run = spawnSync(
    'bash',
    ['-c', `${script}\nCOMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _fstore_completion; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', 'fstore', ...words],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean);
}

describe('fstore completion', () => {
  const program = buildCli();

  it('bash: completes commands, subcommands, options and argument values from the command tree', () => {
    const script = completionScript(program, 'bash');
    expect(bashCompletes(script, 'ma')).toEqual(['materialize']);
    expect(bashCompletes(script, '')).toEqual(expect.arrayContaining(['serve', 'ingest', 'materialize', 'features', 'feature-services', 'keys', 'completion']));
    expect(bashCompletes(script, 'materialize', '--in')).toEqual(['--incremental']);
    expect(bashCompletes(script, 'features', '')).toEqual(['list', 'get', '--help']);
    expect(bashCompletes(script, 'features', 'list', '--')).toEqual(['--entity', '--tag', '--url', '--help']);
    expect(bashCompletes(script, 'ingest', 'data.csv', '--entity', 'usuario', '--g')).toEqual(['--group']);
    expect(bashCompletes(script, 'completion', '')).toEqual(['bash', 'zsh', 'fish', '--help']);
  });

  it('zsh: the same function through bashcompinit', () => {
    const script = completionScript(program, 'zsh');
    expect(script.split('\n').slice(0, 3)).toEqual(['# fstore completion for zsh: source <(fstore completion zsh)', 'autoload -U +X bashcompinit && bashcompinit', '_fstore_completion() {']);
    expect(script).toContain('complete -o default -F _fstore_completion fstore');
    // zsh ties `path` to PATH: the function must not assign it.
    expect(script).not.toMatch(/\bpath=/);
  });

  it('fish: one line per subcommand (with its description) and option, under the command path typed', () => {
    const lines = completionScript(program, 'fish').split('\n');
    expect(lines).toContain("complete -c fstore -n '__fish_use_subcommand' -a 'materialize' -d 'Write the newest offline values of feature groups to the online store (one job per group), showing progress'");
    expect(lines).toContain("complete -c fstore -n '__fish_seen_subcommand_from materialize' -l incremental -d 'only values ingested since the last successful incremental run of each group'");
    expect(lines).toContain("complete -c fstore -n '__fish_seen_subcommand_from features; and not __fish_seen_subcommand_from list get' -a 'list' -d 'List features'");
    expect(lines).toContain("complete -c fstore -n '__fish_seen_subcommand_from completion' -a 'fish'");
  });

  it('names the shells it knows when given another', async () => {
    const cli = buildCli().exitOverride().configureOutput({ writeErr: () => undefined });
    for (const command of cli.commands) command.exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(cli.parseAsync(['node', 'fstore', 'completion', 'tcsh'])).rejects.toThrow("command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });
});
