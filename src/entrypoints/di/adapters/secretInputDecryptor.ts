import type { SecretInputDecryptor } from '../../../application/runs/ports/SecretInputDecryptor.js';
import { PortSecretInputDecryptor } from '../../../adapters/crypto/PortSecretInputDecryptor.js';
import { portConfigOf } from '../../config/portConfig.js';
import type { Wiring } from '../wiring.js';
import { secretProvider } from './secretProvider.js';

/** Decrypts Port's secret inputs with the Port client secret, found where the Port client finds it. */
export function secretInputDecryptor(wiring: Wiring): SecretInputDecryptor {
  return wiring.once('port.secretInputs', () => {
    const { clientSecret } = portConfigOf(wiring.config).plainCredentials;
    return new PortSecretInputDecryptor(async () => clientSecret ?? (await secretProvider(wiring).get('PORT_CLIENT_SECRET')));
  });
}
