import { createTidings, ErrorCode, type MessageEvent, TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { classifyStatus } from '@tidings/transport-smpp';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupList, notice, optionsFor, otp, sendContext, startEngageLab } from './engagelab.test-helper.js';
import { engagelabChannel } from './engagelab-plugin.js';
import { EngageLabStatus, engagelabStatusTable } from './engagelab-status-table.js';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

async function refusedWith(status: number): Promise<TidingsError> {
  const sim = await startEngageLab({}, { faults: { rejectEveryNth: { n: 1, status } } });
  cleanups.add(() => sim.stop());
  const channel = resolveChannel(engagelabChannel(optionsFor(sim)));
  await channel.start();
  cleanups.add(() => channel.stop());
  const error = await channel.send(otp, sendContext()).catch((e: unknown) => e);
  if (!TidingsError.is(error)) throw new Error(`expected a TidingsError, got ${String(error)}`);
  return error;
}

describe('EngageLab status table', () => {
  it("classifies the page's statuses", () => {
    expect(classifyStatus(engagelabStatusTable, 0x08).class).toBe('transient');
    for (const status of [0x32, 0x45, 0x55]) expect(classifyStatus(engagelabStatusTable, status).class).toBe('fix');
    expect(classifyStatus(engagelabStatusTable, 0xff).class).toBe('permanent');
    expect(classifyStatus(engagelabStatusTable, 0x03).class).toBe('permanent');
  });

  it('0x08 ESME_RSYSERR: retried later with backoff, then delivered', async () => {
    const sim = await startEngageLab(
      {},
      { faults: { rejectEveryNth: { n: 2, status: EngageLabStatus.ESME_RSYSERR } } },
    );
    cleanups.add(() => sim.stop());
    const plugin = engagelabChannel(optionsFor(sim, { settings: { retry: { initialDelayMs: 5, maxDelayMs: 20 } } }));
    const tidings = await createTidings({ plugins: [plugin] });
    cleanups.add(() => tidings.stop({ timeoutMs: 1000 }));
    await (await tidings.send('engagelab', notice)).settled;
    const events: MessageEvent[] = [];
    tidings.events$.subscribe((event) => events.push(event));
    const handle = await tidings.send('engagelab', otp);
    expect((await handle.settled).type).toBe('delivered');
    const retrying = events.find((event) => event.type === 'retrying');
    expect(retrying?.type === 'retrying' && retrying.error.providerStatus).toBe(0x08);
    expect(retrying?.type === 'retrying' && retrying.error.message).toContain('EngageLab internal service error');
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(3);
  });

  it('0x32 ESME_RINVPARAM: never as is, fix the request format', async () => {
    const error = await refusedWith(EngageLabStatus.ESME_RINVPARAM);
    expect(error).toMatchObject({ code: ErrorCode.Rejected, providerStatus: 0x32, retry: { kind: 'fix' } });
    expect(error.message).toContain('ESME_RINVPARAM, invalid parameter: check the request format');
  });

  it('0x45 ESME_RSUBMITFAIL: an unknown template is refused, fix the template; the runtime does not retry', async () => {
    const sim = await startEngageLab({ templates: ['login-otp'] });
    cleanups.add(() => sim.stop());
    const tidings = await createTidings({ plugins: [engagelabChannel(optionsFor(sim))] });
    cleanups.add(() => tidings.stop({ timeoutMs: 1000 }));
    const terminal = await (await tidings.send('engagelab', { ...otp, template: { id: 'no-such-template' } })).settled;
    expect(terminal.type).toBe('rejected');
    const error = terminal.type === 'rejected' ? terminal.error : undefined;
    expect(error).toMatchObject({ providerStatus: 0x45, retry: { kind: 'fix' } });
    expect(error?.message).toContain('check that the template id exists');
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
    expect((await (await tidings.send('engagelab', otp)).settled).type).toBe('delivered');
  });

  it('0x55 ESME_RINVNUMMSGS: never as is, fix the JSON', async () => {
    const error = await refusedWith(EngageLabStatus.ESME_RINVNUMMSGS);
    expect(error).toMatchObject({ code: ErrorCode.Rejected, providerStatus: 0x55, retry: { kind: 'fix' } });
    expect(error.message).toContain('the short_message content is malformed');
  });

  it('0xFF ESME_RUNKNOWNERR: never, report to EngageLab support', async () => {
    const error = await refusedWith(EngageLabStatus.ESME_RUNKNOWNERR);
    expect(error).toMatchObject({ code: ErrorCode.Rejected, providerStatus: 0xff, retry: { kind: 'never' } });
    expect(error.message).toContain('report it to EngageLab technical support');
  });
});
