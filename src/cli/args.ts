/** Parsed command line: positional arguments and --flags (a flag without a value is 'true'). */
export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string>;
}

/** Flags that take no value. */
const SWITCHES = new Set(['json', 'help', 'version']);

/** A usage mistake: reported as one line with exit code 2, like bad input. */
export class UsageError extends Error {}

/** Splits argv into positionals and flags (`--k 10` and `--k=10` both work). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (SWITCHES.has(name)) flags.set(name, 'true');
    else {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError(`--${name} expects a value`);
      flags.set(name, value);
      i++;
    }
  }
  return { positional, flags };
}

/** A flag restricted to a set of values. */
export function choice<T extends string>(flags: Map<string, string>, name: string, allowed: readonly T[], fallback: T): T {
  const value = flags.get(name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} expects one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** A positive integer flag within bounds. */
export function integer(flags: Map<string, string>, name: string, fallback: number, max: number): number {
  const value = flags.get(name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max)
    throw new UsageError(`--${name} expects an integer 1..${max}, got "${value}"`);
  return parsed;
}
