/** The SMSC sites: one platform, regional hosts. */
export type SmscRegion = 'smscentre.com' | 'smsc.kz';

export interface SmscRegionHosts {
  readonly host: string;
  /** The provider's backup SMPP server, tried when the primary cannot be reached. */
  readonly backupHost: string;
}

/** SMPP servers per region, from the provider's pages. */
export const smscRegions: Readonly<Record<SmscRegion, SmscRegionHosts>> = Object.freeze({
  'smscentre.com': Object.freeze({ host: 'smpp.smscentre.com', backupHost: 'smpp2.smscentre.com' }),
  'smsc.kz': Object.freeze({ host: 'smpp.smsc.kz', backupHost: 'smpp2.smsc.kz' }),
});

/** Plain SMPP. */
export const SMSC_PORT = 3700;
/** SMPP over TLS ("for an encrypted SSL connection, port 3443 is used"). */
export const SMSC_TLS_PORT = 3443;
