/** Maximum message length at Telegram Gateway, in characters. */
export const maxTextCharacters = 2000;

/** Texts up to 254 octets go in `short_message`; longer ones in `message_payload`, never both. */
export const maxShortMessageOctets = 254;

/** `message_payload` carries up to 2048 octets at Telegram Gateway. */
export const maxPayloadOctets = 2048;
