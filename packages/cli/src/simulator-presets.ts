import { engagelabSimulatorProfile } from '@tidings/channel-engagelab/simulator';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { smsorgSimulatorProfile } from '@tidings/channel-smsorg/simulator';
import { telegramSimulatorProfile } from '@tidings/channel-telegram/simulator';
import type { SimulatorProfile } from '@tidings/transport-smpp/simulator';
import type { PluginName } from './plugin-catalog.js';

/** What `tidings simulate --profile <name>` starts, and the config that talks to it. */
export interface SimulatorPreset {
  readonly profile: () => SimulatorProfile;
  /** A login the provider's rules accept (smsorg wants `XXXX.X`). */
  readonly systemId: string;
  readonly password: string;
  /** Options the plugin needs besides host, port and credentials. */
  readonly extraOptions: Readonly<Record<string, unknown>>;
  /** The message flags of the `tidings send` hint printed with the config. */
  readonly sendHint: string;
}

export const simulatorPresets: Readonly<Record<PluginName, SimulatorPreset>> = {
  telegram: {
    profile: () => telegramSimulatorProfile(),
    systemId: 'test',
    password: 'secret',
    // The service name agreed with the provider: required by the plugin.
    extraOptions: { sender: 'Tidings' },
    // A telegram message is a verification code; the text, if any, is a template around it.
    sendHint: '--code 123456',
  },
  smsc: {
    profile: () => smscSimulatorProfile(),
    systemId: 'test',
    password: 'secret',
    // Else the region's real backup host would be tried when the simulator is down.
    extraOptions: { backupHosts: [] },
    sendHint: "--text 'Hello'",
  },
  engagelab: {
    profile: () => engagelabSimulatorProfile(),
    systemId: 'test',
    password: 'secret',
    extraOptions: {},
    // EngageLab sends template messages only.
    sendHint: '--template <id> --code 123456',
  },
  smsorg: {
    profile: () => smsorgSimulatorProfile(),
    systemId: '1234.5',
    password: 'secret',
    extraOptions: { sender: 'Tidings' },
    sendHint: "--text 'Hello'",
  },
};
