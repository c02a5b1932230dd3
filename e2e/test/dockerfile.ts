/**
 * Just enough of Docker's own rules to check the image without an engine: the Dockerfile's
 * instructions by stage (line continuations, comments, ARG before FROM, exec and shell forms)
 * and .dockerignore matching (Go's filepath.Match with `**`, the last matching pattern wins, a
 * pattern that matches a directory excludes everything under it).
 */

export interface Instruction {
  keyword: string;
  /** Leading `--name=value` flags (COPY --from, HEALTHCHECK --interval, …). */
  flags: Record<string, string>;
  /** The rest, after the flags. */
  rest: string;
}

export interface Stage {
  name: string;
  /** The base image with the ARGs declared before the first FROM substituted. */
  from: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line)) continue; // comments (and the syntax directive), also inside a continuation
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim()) lines.push(current.trim());
    current = '';
  }
  if (current.trim()) lines.push(current.trim());

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', body = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    const flags: Record<string, string> = {};
    let rest = body;
    for (;;) {
      const flag = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest);
      if (!flag) break;
      flags[flag[1]!] = flag[2] ?? 'true';
      rest = rest.slice(flag[0].length);
    }
    if (upper === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      const from = image.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => globalArgs[arg] ?? '');
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
    } else if (stages.length === 0) {
      if (upper === 'ARG') {
        const [name = '', value = ''] = rest.split('=', 2);
        globalArgs[name] = value;
      }
    } else {
      stages.at(-1)!.instructions.push({ keyword: upper, flags, rest });
    }
  }
  return stages;
}

/** An exec-form (JSON array) argument, or undefined for the shell form. */
export function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  return JSON.parse(rest) as string[];
}

/** ENV instructions of a stage, in the `KEY=value KEY2=value2` form. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, rest } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const [, key, value] of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      env[key!] = value!.replace(/^"|"$/g, '');
    }
  }
  return env;
}

/** Paths and destination of a COPY or ADD (JSON form or space separated). */
export function copyPaths(rest: string): { sources: string[]; destination: string } {
  const parts = execForm(rest) ?? rest.split(/\s+/);
  return { sources: parts.slice(0, -1), destination: parts.at(-1)! };
}

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of directories, `**` at the end anything.
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = pattern.indexOf(']', i);
      source += pattern.slice(i, end + 1).replace(/^\[!/, '[^');
      i = end;
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** `excluded(path)` for a path relative to the build context, as .dockerignore decides it. */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line)
        .trim()
        .replace(/^\/+/, '')
        .replace(/\/+$/, '');
      return { negated, regexp: patternToRegExp(pattern) };
    });
  return (path) => {
    const parts = path.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const { negated, regexp } of rules) {
      if (candidates.some((candidate) => regexp.test(candidate))) excluded = !negated;
    }
    return excluded;
  };
}
