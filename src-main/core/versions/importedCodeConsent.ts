// Consent to run code that came with an import. Such code is data until a person, shown a warning, says to
// run it: a shell asks for the warning (and a one-time consent), shows it, and only then retries or forks with
// the consent. A consent is good for one run of that version within a few minutes; it cannot be made up by a
// caller that never asked for it, so no single request can run imported code.
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../shared/errors';

const CONSENT_TTL_MS = 5 * 60_000;

export class ImportedCodeConsents {
  private readonly given = new Map<string, { version: string; expires: number }>();

  /** A new one-time consent to run `version`. */
  issue(version: string): string {
    const now = Date.now();
    for (const [token, entry] of this.given) if (entry.expires <= now) this.given.delete(token);
    const token = randomBytes(18).toString('base64url');
    this.given.set(token, { version, expires: now + CONSENT_TTL_MS });
    return token;
  }

  /** Spends a consent for `version`; throws when there is none, it is for another version, or it expired. */
  spend(token: string | undefined, version: string): void {
    const entry = token === undefined ? undefined : this.given.get(token);
    if (token !== undefined) this.given.delete(token);
    if (!entry || entry.version !== version || entry.expires <= Date.now()) {
      throw new StudioError(
        'E_IMPORTED_CODE',
        `workflow version ${version} came with an import: its code is shown but not run here; run the workspace's code with the latest version, or read the imported code and consent to running it` +
          (token === undefined ? '' : ': the consent given is not for this version, was used already, or expired'),
        { hints: [{ use: 'version', value: 'latest' }, { use: 'importedCodeConsent' }] },
      );
    }
  }
}

/** The warning a shell shows before running imported code. */
export function importedCodeWarning(workflowId: string, version: string, file: string): string {
  return (
    `running code that came with an import: workflow "${workflowId}" version ${version.slice(0, 12)} (${file}). ` +
    `It runs on this machine with your rights, in worker threads. Read it first (Versions, or snapshot-studio versions ${workflowId}).`
  );
}
