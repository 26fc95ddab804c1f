import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { boundClient, startSimulator } from './raw-client.test-helper.js';

// A test-only pair committed under test/fixtures/tls (a fresh CI machine may lack openssl).
const fixtures = new URL('../../test/fixtures/tls/', import.meta.url);
const key = readFileSync(new URL('key.pem', fixtures), 'utf8');
const cert = readFileSync(new URL('cert.pem', fixtures), 'utf8');

describe('SMPP over TLS', () => {
  it('binds, submits and receives a receipt over TLS', async () => {
    const sim = await startSimulator({ tls: { key, cert } });
    expect(sim.tls).toBe(true);
    const client = await boundClient(sim, 'transceiver', { tlsCa: cert });
    const response = await client.submit({ registered_delivery: 1 });
    expect(response.command_status).toBe(0);
    expect((await client.deliverSm()).esm_class).toBe(0x04);
    expect(sim.sessions[0]).toMatchObject({ tls: true, state: 'bound' });
  });

  it('drops a plain-TCP client that does not speak TLS, and keeps serving', async () => {
    const sim = await startSimulator({ tls: { key, cert } });
    await new Promise<void>((resolve) => {
      const socket = connect(sim.port, sim.host, () => socket.write('not a TLS hello'));
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });
    const client = await boundClient(sim, 'transceiver', { tlsCa: cert });
    expect((await client.submit()).command_status).toBe(0);
  });

  it('dropAfter reset also ends a TLS session, leaving the submit unanswered', async () => {
    const sim = await startSimulator({ tls: { key, cert }, faults: { dropAfter: { submits: 0, mode: 'reset' } } });
    const client = await boundClient(sim, 'transceiver', { tlsCa: cert });
    client.send(client.submitPdu());
    const { error } = await client.closed;
    expect(error?.code).toBe('ECONNRESET');
    expect(client.received.some((pdu) => pdu.command === 'submit_sm_resp')).toBe(false);
  });

  it('stop ends TLS sessions', async () => {
    const sim = await startSimulator({ tls: { key, cert } });
    const client = await boundClient(sim, 'transceiver', { tlsCa: cert });
    await sim.stop();
    await client.closed;
    expect(sim.sessions[0]?.state).toBe('closed');
  });
});
