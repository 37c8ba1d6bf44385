/**
 * Parley's server (and the packages it uses) built from another commit, so that a suite can run the
 * code before a change beside the code after it in one run, on the same machine at the
 * same moment (`--servers parley,parley@<ref>`). The build lands in bench/.baseline/<sha>/
 * (git-ignored) and is reused; dependencies resolve from this checkout's node_modules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(r.stderr || r.stdout).slice(-2000)}`);
  }
  return r.stdout.trim();
}

/** Symlink every package of `from` (a node_modules folder, scopes included) into `to`. */
function linkModules(from, to) {
  if (!existsSync(from)) {
    return;
  }
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (name.startsWith('@')) {
      linkModules(join(from, name), join(to, name));
    } else if (!name.startsWith('.')) {
      symlinkSync(join(from, name), join(to, name));
    }
  }
}

/**
 * Build `ref` (once) and return the path of its server entry (dist/index.js), which
 * exports createServer and loadConfig like this checkout's.
 */
export function baselineServer(ref) {
  const sha = run('git', ['rev-parse', '--verify', `${ref}^{commit}`], root);
  const dir = join(root, 'bench', '.baseline', sha.slice(0, 12));
  const entry = join(dir, 'packages/server/dist/index.js');
  // Written last: a build that failed half way is started again.
  const done = join(dir, 'built');
  if (existsSync(done)) {
    return entry;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = join(dir, 'source.tar');
  // packages/common (the emitter and the backoff) came later than some refs worth measuring.
  const hasCommon =
    spawnSync('git', ['cat-file', '-e', `${sha}:packages/common`], { cwd: root }).status === 0;
  const packages = hasCommon ? ['common', 'protocol'] : ['protocol'];
  run(
    'git',
    [
      'archive',
      '--format=tar',
      '-o',
      tar,
      sha,
      'tsconfig.base.json',
      ...packages.map((p) => `packages/${p}`),
      'packages/server',
    ],
    root,
  );
  run('tar', ['-xf', tar], dir);
  // The server's own nested dependencies are this checkout's; our packages are the old ones.
  const modules = join(dir, 'packages/server/node_modules');
  linkModules(join(root, 'packages/server/node_modules'), modules);
  mkdirSync(join(modules, '@parley'), { recursive: true });
  for (const p of packages) {
    symlinkSync(join(dir, `packages/${p}`), join(modules, `@parley/${p}`));
  }
  run('npx', ['--no-install', 'tsc', '-b', 'packages/server'], dir);
  writeFileSync(done, `${sha}\n`);
  return entry;
}
