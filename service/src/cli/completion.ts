/**
 * `fstore completion bash|zsh|fish`: a shell completion script written from the CLI's own command
 * tree (commander), so every command, subcommand and option completes as defined, never a copy
 * that drifts. Install: `source <(fstore completion bash)` in ~/.bashrc, the same with zsh in
 * ~/.zshrc, or `fstore completion fish > ~/.config/fish/completions/fstore.fish`.
 */
import type { Command } from 'commander';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

interface CommandWords {
  /** The command's words after `fstore` ('' for the top level, 'features list' for a subcommand). */
  path: string;
  description: string;
  subcommands: string[];
  /** The allowed values of its arguments (`completion <shell>`: bash, zsh, fish). */
  values: string[];
  options: { flag: string; description: string }[];
}

/** Every command of the tree, depth first, with its subcommands and long options. */
function commandsOf(program: Command): CommandWords[] {
  const out: CommandWords[] = [];
  const visit = (command: Command, path: string) => {
    const children = command.commands.filter((c) => c.name() !== 'help');
    out.push({
      path,
      description: command.description(),
      subcommands: children.map((c) => c.name()),
      values: command.registeredArguments.flatMap((a) => a.argChoices ?? []),
      options: [
        ...command.options.flatMap((o) => (o.long ? [{ flag: o.long, description: o.description }] : [])),
        { flag: '--help', description: 'show help' },
      ],
    });
    for (const child of children) visit(child, path ? `${path} ${child.name()}` : child.name());
  };
  visit(program, '');
  return out;
}

export function completionScript(program: Command, shell: CompletionShell): string {
  const commands = commandsOf(program);
  return shell === 'fish' ? fishScript(program.name(), commands) : bashScript(program.name(), commands, shell === 'zsh');
}

/** Single-quoted for a shell; names and descriptions are ours, but quoting keeps any text safe. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Bash (and zsh through bashcompinit): the words typed so far, up to two command levels, pick the
 * candidates: subcommands and options of the deepest command named.
 */
function bashScript(name: string, commands: CommandWords[], forZsh: boolean): string {
  const fn = `_${name.replace(/[^a-zA-Z0-9_]/g, '_')}_completion`;
  const cases = commands
    .map((c) => `    ${quote(c.path)}) words=${quote([...c.subcommands, ...c.values, ...c.options.map((o) => o.flag)].join(' '))} ;;`)
    .join('\n');
  const paths = commands.filter((c) => c.path !== '').map((c) => c.path);
  return [
    `# ${name} completion for ${forZsh ? 'zsh' : 'bash'}: source <(${name} completion ${forZsh ? 'zsh' : 'bash'})`,
    ...(forZsh ? ['autoload -U +X bashcompinit && bashcompinit'] : []),
    `${fn}() {`,
    '  local current="${COMP_WORDS[COMP_CWORD]}" typed="" candidate words i',
    '  # The deepest known command among the words before the one being completed.',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    candidate="${typed:+$typed }${COMP_WORDS[i]}"',
    '    case "$candidate" in',
    `      ${paths.map(quote).join('|')}) typed="$candidate" ;;`,
    '    esac',
    '  done',
    // `typed`, not `path`: in zsh, `path` is the PATH array.
    '  case "$typed" in',
    cases,
    '  esac',
    '  COMPREPLY=($(compgen -W "$words" -- "$current"))',
    '}',
    `complete -o default -F ${fn} ${name}`,
    '',
  ].join('\n');
}

/** Fish: one `complete` line per subcommand and option, conditioned on the command path typed. */
function fishScript(name: string, commands: CommandWords[]): string {
  const lines = [`# ${name} completion for fish: ${name} completion fish > ~/.config/fish/completions/${name}.fish`];
  for (const c of commands) {
    const words = c.path === '' ? [] : c.path.split(' ');
    const children = commands.filter((o) => o.path.split(' ').length === words.length + 1 && o.path.startsWith(c.path)).map((o) => o.path.split(' ').at(-1)!);
    // At the top level: no subcommand yet. Deeper: this path typed, and none of its subcommands.
    const condition =
      words.length === 0 ? '__fish_use_subcommand' : [...words.map((w) => `__fish_seen_subcommand_from ${w}`), ...(children.length ? [`not __fish_seen_subcommand_from ${children.join(' ')}`] : [])].join('; and ');
    for (const sub of c.subcommands) {
      const described = commands.find((o) => o.path === (c.path ? `${c.path} ${sub}` : sub));
      lines.push(`complete -c ${name} -n ${quote(condition)} -a ${quote(sub)} -d ${quote(described?.description ?? '')}`);
    }
    for (const value of c.values) lines.push(`complete -c ${name} -n ${quote(condition)} -a ${quote(value)}`);
    for (const option of c.options) lines.push(`complete -c ${name} -n ${quote(condition)} -l ${option.flag.slice(2)} -d ${quote(option.description)}`);
  }
  return `${lines.join('\n')}\n`;
}
