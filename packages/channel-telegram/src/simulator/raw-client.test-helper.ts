import { silentLogger, systemClock } from '@tidings/core';
import {
  type DeliverSm,
  type MessageIdResp,
  type Pdu,
  resolveSmppConnection,
  type ShortMessageInput,
  SmppClient,
  submitSm,
} from '@tidings/transport-smpp';
import type { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { onTestFinished } from 'vitest';

/** A bare SMPP client for the profile's tests: sends any submit_sm as written and keeps what it receives. */
export interface RawClient {
  submit(fields: Partial<ShortMessageInput>): Promise<MessageIdResp>;
  request(pdu: Parameters<SmppClient['request']>[0]): Promise<Pdu>;
  /** Receipts (deliver_sm) received so far. */
  readonly receipts: DeliverSm[];
}

export async function rawClient(sim: SmscSimulator): Promise<RawClient> {
  const connection = resolveSmppConnection(
    {
      host: sim.host,
      port: sim.port,
      systemId: 'test',
      password: 'secret',
      enquireLinkIntervalMs: 0,
      unbindTimeoutMs: 200,
    },
    'raw client',
  );
  const receipts: DeliverSm[] = [];
  const client = new SmppClient({
    label: 'raw client',
    endpoints: connection.endpoints,
    credentials: connection.credentials,
    mode: 'transceiver',
    binds: 1,
    window: 20,
    timeouts: connection.timeouts,
    reconnect: connection.reconnect,
    maxBindFailures: 1,
    // An empty table: every refusal is final, so the client never pauses between requests.
    statusTable: new Map(),
    clock: systemClock,
    logger: silentLogger,
    onServerRequest: (pdu) => {
      if (pdu.command === 'deliver_sm') receipts.push(pdu);
      return 0;
    },
  });
  await client.connect();
  onTestFinished(() => client.close({ drainTimeoutMs: 200 }));
  return {
    receipts,
    request: (pdu) => client.request(pdu),
    submit: async (fields) => {
      const { sequence_number: _, ...pdu } = submitSm(
        { destination_addr: '79036550550', short_message: new Uint8Array(0), ...fields },
        0,
      );
      return (await client.request(pdu)) as MessageIdResp;
    },
  };
}

/** UTF-16BE bytes of a text, as data_coding 8 carries it. */
export function ucs2Bytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'utf16le').swap16());
}

export function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}
