/**
 * QUIC packet protection keys from a TLS 1.3 traffic secret (RFC 9001 §5.1): HKDF-Expand-Label
 * with "quic key", "quic iv" and "quic hp" (RFC 9369 §3.3.2: "quicv2 ..." for QUIC version 2),
 * the hash and AEAD of the negotiated suite. The keys stay inside the returned object; nothing
 * here prints them.
 */
import { QUIC_V2 } from '../../decoders/quic/packet.js';
import type { PacketAead, PacketKeys } from '../../decoders/quic/initial.js';
import { hkdfExpandLabel } from './kdf.js';
import { suiteCrypto } from './suites.js';

/** The AEAD QUIC uses for a TLS 1.3 suite, or null when it is not one read here (CCM, unknown). */
export function quicAead(cipherSuite: number): PacketAead | null {
  const s = suiteCrypto(cipherSuite);
  if (s === null || !s.tls13) return null;
  return s.cipher === 'aes-128-gcm' || s.cipher === 'aes-256-gcm' || s.cipher === 'chacha20-poly1305' ? s.cipher : null;
}

/** One direction's packet keys from its traffic secret, or null when the suite is not read here. */
export function quicPacketKeys(secret: Uint8Array, cipherSuite: number, version: number): PacketKeys | null {
  const aead = quicAead(cipherSuite);
  const s = suiteCrypto(cipherSuite);
  if (aead === null || s === null) return null;
  const prefix = version === QUIC_V2 ? 'quicv2 ' : 'quic ';
  const none = new Uint8Array(0);
  return {
    key: hkdfExpandLabel(s.hash, secret, `${prefix}key`, none, s.keyLength),
    iv: hkdfExpandLabel(s.hash, secret, `${prefix}iv`, none, 12),
    // Header protection key: as long as the AEAD key (RFC 9001 §5.4.3: AES-256 → 32; ChaCha20 → 32).
    hp: hkdfExpandLabel(s.hash, secret, `${prefix}hp`, none, s.keyLength),
    aead,
  };
}
