// Which database URLs a window may import from, and how a URL is shown: the rules the shells apply to a window's
// importFiles (windowCalls.ts) and the Import dialog applies as the person types.
import { describe, expect, it } from 'vitest';
import { shownDatabaseUrl, windowDatabaseUrlProblem } from '../../src-main/shared/databaseUrls';
import { refusedFromWindow } from '../../src-main/shared/windowCalls';

const SECRET = 's3cret-pw';

describe('windowDatabaseUrlProblem', () => {
  it('takes a postgres:// or postgresql:// URL of a host, with or without port, user, password, database and TLS mode', () => {
    for (const url of [
      'postgres://db.internal/agents',
      `postgresql://reader:${SECRET}@10.0.0.5:6543/agents`,
      'POSTGRES://reader@[::1]:5432/agents?sslmode=require',
      'postgres://reader@db.internal:5432/agents?sslmode=verify-full&connect_timeout=5&application_name=studio&ssl=true',
      'postgres://reader@db.internal',
    ]) {
      expect(windowDatabaseUrlProblem(url), url).toBeNull();
    }
  });

  it('refuses paths, other schemes, sockets and parameters that name files, never repeating the URL', () => {
    const cases: [string, RegExp][] = [
      ['/srv/app/checkpoints.db', /only a postgres:\/\/ or postgresql:\/\/ URL/],
      ['checkpoints.db', /only a postgres:\/\//],
      ['file:///srv/app/checkpoints.db', /only a postgres:\/\//],
      ['sqlite:///srv/app/checkpoints.db', /only a postgres:\/\//],
      ['sqlite:checkpoints.db', /only a postgres:\/\//],
      ['mysql://db.internal/agents', /only a postgres:\/\//],
      [`postgres://reader:${SECRET}@/agents`, /names no host|cannot be parsed/],
      [`postgres://reader:${SECRET}@%2Fvar%2Frun%2Fpostgresql/agents`, /Unix socket/],
      [`postgres://reader:${SECRET}@db.internal/agents?host=/var/run/postgresql`, /parameter host is not read from a window/],
      [`postgres://reader:${SECRET}@db.internal/agents?sslrootcert=/home/ada/ca.pem`, /parameter sslrootcert/],
      [`postgres://reader:${SECRET}@db.internal/agents?sslkey=/home/ada/.ssh/id_rsa&sslmode=require`, /parameter sslkey/],
      [`postgres://reader:${SECRET}@db.internal/agents?SSLCERT=/etc/passwd`, /parameter SSLCERT/],
      [`postgres://reader:${SECRET}@db.internal/agents?password=${SECRET}`, /parameter password/],
      [`postgres://reader:${SECRET}@db host/agents`, /spaces/],
      [`postgres://reader:${SECRET}@db.internal/a%gents`, /stray %/],
    ];
    for (const [url, reason] of cases) {
      const problem = windowDatabaseUrlProblem(url);
      expect(problem, url).toMatch(reason);
      expect(problem).not.toContain(SECRET);
      expect(problem).not.toContain('/srv/app');
    }
  });

  it('is what refusedFromWindow applies to every source of a window’s importFiles', () => {
    expect(refusedFromWindow('importFiles', [{ files: ['postgres://reader@db.internal/agents'], threads: ['order-17'] }])).toBeNull();
    expect(refusedFromWindow('importFiles', [{ files: ['postgres://reader@db.internal/agents', '/etc/passwd'] }])).toMatch(/a window may not name/);
    expect(refusedFromWindow('importFiles', [{ files: [`postgres://u:${SECRET}@db/x?sslcert=/etc/passwd`] }])).toMatch(/^importFiles from a window: the URL's parameter sslcert/);
    for (const args of [[{ files: [] }], [{ files: 'postgres://db/x' }], [{ files: [7] }], [null], []]) {
      expect(refusedFromWindow('importFiles', args), JSON.stringify(args)).not.toBeNull();
    }
  });
});

describe('shownDatabaseUrl', () => {
  it('shows host, port and database, the password as ***, in the user part or a parameter', () => {
    expect(shownDatabaseUrl(`postgres://reader:${SECRET}@db.internal:5432/agents`)).toBe('postgres://reader:***@db.internal:5432/agents');
    expect(shownDatabaseUrl(`postgres://reader@db.internal/agents?password=${SECRET}&sslmode=require`)).toBe('postgres://reader@db.internal/agents?password=***&sslmode=require');
    expect(shownDatabaseUrl('postgres://reader@db.internal/agents')).toBe('postgres://reader@db.internal/agents');
    expect(shownDatabaseUrl(`postgres://reader:${SECRET}@db.internal:99999/agents`)).toBe('a postgres:// URL that cannot be parsed');
  });
});
