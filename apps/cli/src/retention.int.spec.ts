import { defaultHandlerSettings, handleCaseCommand, PersonalDataKeys, receiveReferral, type Actor } from '@wih/application';
import { addDays, businessDateOf } from '@wih/domain';
import { openSqliteEventStore } from '@wih/event-store';
import { openSqliteKeyStore } from '@wih/key-store';
import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retentionCommands } from './retention';

const today = () => businessDateOf(new Date());
const CASEWORKER: Actor = { userId: 'anna', role: 'caseworker' };
const FACHSTELLE: Actor = { userId: 'fs-1', role: 'fachstelle' };

/** A closed case (closed yesterday) written through the handlers with the data directory's keys. */
async function writeClosedCase(dataDir: string): Promise<string> {
  const events = openSqliteEventStore(dataDir);
  const keyStore = openSqliteKeyStore(dataDir);
  const settings = { ...defaultHandlerSettings, keys: new PersonalDataKeys(keyStore) };
  try {
    const on = addDays(today(), -10);
    const { caseId } = await receiveReferral(
      events,
      {
        receivedOn: on,
        referralSource: 'jobcenter',
        targetGroup: 'recommitted',
        housingSituation: 'seized_flat',
        threatCauses: [],
        adults: 1,
        children: 0,
        existingAid: [],
        consentGiven: true,
        household: { name: 'Familie Zeitablauf', address: 'Altweg 1' },
      },
      CASEWORKER,
      {},
      settings,
    );
    await handleCaseCommand(
      events,
      (context) => ({
        type: 'ApproveReferral',
        caseId,
        context,
        data: { approvedOn: on, assignedCaseworkerId: 'anna', plannedEndOn: addDays(on, 100) },
      }),
      FACHSTELLE,
      {},
      settings,
    );
    await handleCaseCommand(
      events,
      (context) => ({
        type: 'CloseCase',
        caseId,
        context,
        data: { closedOn: addDays(today(), -1), reason: 'moved_away', housingAtClose: 'unknown' },
      }),
      CASEWORKER,
      {},
      settings,
    );
    const [received] = await events.readStream(`case-${caseId}`);
    return (received.data as { householdId: string }).householdId;
  } finally {
    await Promise.all([events.close(), keyStore.close()]);
  }
}

describe('cli retention run', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wih-cli-retention-'));
    process.env.DATA_DIR = dir;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]): Promise<string> => {
    let out = '';
    const program = new Command('wih').exitOverride();
    retentionCommands(program, (text) => (out += text));
    await program.parseAsync(['retention', 'run', ...args], { from: 'user' });
    return out;
  };
  const keyStatus = async (householdId: string) => {
    const store = openSqliteKeyStore(dir);
    try {
      return (await store.get(householdId))?.status;
    } finally {
      await store.close();
    }
  };

  it('--dry-run --today lists what is due and erases nothing; without --dry-run it erases', async () => {
    const householdId = await writeClosedCase(dir);
    const later = addDays(today(), 365 * 7);
    expect(await run('--dry-run', '--today', addDays(today(), 30))).toBe(
      `0 household(s) due on ${addDays(today(), 30)} (dry run: nothing erased)\n`,
    );
    const dry = await run('--dry-run', '--today', later);
    expect(dry).toContain(`${householdId}  expired `);
    expect(dry).toContain('1 household(s) due');
    expect(dry).not.toContain('Zeitablauf');
    expect(await keyStatus(householdId)).toBe('active');
    const wet = await run('--today', later);
    expect(wet).toContain(`${householdId}  expired `);
    expect(wet).toContain('1 erased');
    expect(await keyStatus(householdId)).toBe('destroyed');
  });

  it('refuses a --today that is not a date', async () => {
    await expect(run('--today', '2030-02-30')).rejects.toThrow(/YYYY-MM-DD/);
  });
});
