import { parseUdh } from '@tidings/transport-smpp';
import { hex } from './render.js';
import type { Step } from './step.js';

/** 165 characters, 166 UTF-16 units (the emoji takes two), Cyrillic and an emoji: UCS2, 67 characters per part with a UDH, so 3 parts. */
export const longText =
  'Здравствуйте! Ваш заказ №4821 собран и передан курьеру. Он привезёт его завтра с 10:00 до 14:00 — пожалуйста, держите телефон включённым. Спасибо, что выбрали нас! 📦';
export const longTextParts = 3;

const recipient = '+79123456780';

/**
 * A text longer than one UCS2 SMS (70 characters): smsorg's channel splits it into
 * UDH-concatenated parts (`esm_class` 0x40, `data_coding` 0x08); the simulator's recorded
 * `submit_sm` PDUs show what went on the wire.
 */
export const longUcs2Text: Step = {
  title: 'A long UCS2 text split into parts',
  intro: `${[...longText].length} characters of Cyrillic and an emoji (${longText.length} UCS2 units: the emoji takes two) through smsorg: UCS2 holds 70 units per SMS, 67 per part`,
  async run(ctx) {
    const ref = 'long-text';
    const handle = ctx.track(ref, await ctx.tidings.send('smsorg', { to: recipient, text: longText, clientRef: ref }));
    const end = await ctx.settled(handle);
    const accepted = ctx.log.eventsOf(ref).find((event) => event.type === 'accepted');
    const parts = accepted?.type === 'accepted' ? accepted.parts : 0;

    // smsorg takes the number without its "+".
    const submits = ctx.sims.smsorg
      .pdus({ command: 'submit_sm' })
      .filter((pdu) => pdu.destination_addr === recipient.slice(1));
    const headers = submits.map((pdu) => parseUdh(pdu.short_message)?.concat);
    const codings = [...new Set(submits.map((pdu) => hex(pdu.data_coding)))].join(', ');
    const esmClasses = [...new Set(submits.map((pdu) => hex(pdu.esm_class)))].join(', ');
    const sequence = headers.map((concat) => (concat ? `${concat.sequence}/${concat.total}` : '?')).join(' ');
    ctx.note(
      `on the wire: ${submits.length} submit_sm, data_coding ${codings} (UCS2), esm_class ${esmClasses} (UDH), parts ${sequence}`,
    );

    ctx.expect(end.type === 'delivered', `${ref}: expected delivered, got ${end.type}`);
    ctx.expect(parts === longTextParts, `${ref}: expected ${longTextParts} parts, the accepted event says ${parts}`);
    ctx.expect(
      submits.length === parts && headers.every((concat) => concat?.total === parts),
      `${ref}: the simulator received ${submits.length} submit_sm for ${parts} parts`,
    );
    ctx.expect(
      submits.every((pdu) => pdu.data_coding === 0x08 && pdu.esm_class === 0x40),
      `${ref}: expected every part in UCS2 (data_coding 0x08) with a UDH (esm_class 0x40)`,
    );
  },
};
