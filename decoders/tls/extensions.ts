/**
 * Hello extensions (RFC 5246 §7.4.1.4, RFC 8446 §4.2): the block, each extension's framing, and
 * the content of the extensions tlsdiag reasons about. Unknown extensions are kept by number.
 */
import type { DecodeProblem, DistinguishedName, Extension, ExtensionValue, NamedCode, ProtocolVersion } from './types.js';
import { ByteReader } from './reader.js';
import { problem, type VectorBound } from './problems.js';
import { authoritiesExtension, ruleFor } from './bounds.js';
import { decodeDistinguishedName } from './dn.js';
import {
  EXT_ALPN, EXT_CERTIFICATE_AUTHORITIES, EXT_COOKIE, EXT_EARLY_DATA, EXT_EC_POINT_FORMATS, EXT_ENCRYPT_THEN_MAC,
  EXT_EXTENDED_MASTER_SECRET, EXT_KEY_SHARE, EXT_KEY_SHARE_DRAFT, EXT_PADDING, EXT_POST_HANDSHAKE_AUTH, EXT_PRE_SHARED_KEY,
  EXT_PSK_KEY_EXCHANGE_MODES, EXT_RECORD_SIZE_LIMIT, EXT_RENEGOTIATION_INFO, EXT_SERVER_NAME, EXT_SESSION_TICKET,
  EXT_SIGNATURE_ALGORITHMS, EXT_SIGNATURE_ALGORITHMS_CERT, EXT_STATUS_REQUEST, EXT_SUPPORTED_GROUPS, EXT_SUPPORTED_VERSIONS,
  extensionName,
} from './registry/extensions.js';
import { namedGroup } from './registry/groups.js';
import { signatureScheme } from './registry/signature-schemes.js';
import type { SpecEra } from './registry/versions.js';

/** The message an extension block belongs to: several extensions change shape with it. */
export type ExtensionContext =
  | 'ClientHello'
  | 'ServerHello'
  | 'HelloRetryRequest'
  | 'EncryptedExtensions'
  | 'CertificateRequest'
  | 'NewSessionTicket'
  | 'Certificate';

const U16 = 65535;
const latin1 = new TextDecoder('latin1');

const FLAG: ExtensionValue = Object.freeze({ kind: 'flag' });

function b(min: number, max: number, decl: string, rule: string, unit?: number): VectorBound {
  return unit !== undefined ? { min, max, decl, rule, unit } : { min, max, decl, rule };
}

/** Per-extension vector bounds, with the RFC that declares them. */
const BOUNDS = {
  serverNameList: b(1, U16, 'ServerName server_name_list<1..2^16-1>', 'RFC 6066 §3'),
  hostName: b(1, U16, 'opaque HostName<1..2^16-1>', 'RFC 6066 §3'),
  versions: b(2, 254, 'ProtocolVersion versions<2..254>', 'RFC 8446 §4.2.1', 2),
  groups: b(2, U16, 'NamedGroup named_group_list<2..2^16-1>', 'RFC 8446 §4.2.7', 2),
  sigAlgs12: b(2, U16 - 1, 'SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>', 'RFC 5246 §7.4.1.4.1', 2),
  sigAlgs13: b(2, U16 - 1, 'SignatureScheme supported_signature_algorithms<2..2^16-2>', 'RFC 8446 §4.2.3', 2),
  clientShares: b(0, U16, 'KeyShareEntry client_shares<0..2^16-1>', 'RFC 8446 §4.2.8'),
  keyExchange: b(1, U16, 'opaque key_exchange<1..2^16-1>', 'RFC 8446 §4.2.8'),
  alpnList: b(2, U16, 'ProtocolName protocol_name_list<2..2^16-1>', 'RFC 7301 §3.1'),
  alpnName: b(1, 255, 'opaque ProtocolName<1..2^8-1>', 'RFC 7301 §3.1'),
  pskIdentities: b(7, U16, 'PskIdentity identities<7..2^16-1>', 'RFC 8446 §4.2.11'),
  pskIdentity: b(1, U16, 'opaque identity<1..2^16-1>', 'RFC 8446 §4.2.11'),
  pskBinders: b(33, U16, 'PskBinderEntry binders<33..2^16-1>', 'RFC 8446 §4.2.11'),
  pskBinder: b(32, 255, 'opaque PskBinderEntry<32..255>', 'RFC 8446 §4.2.11'),
  pskModes: b(1, 255, 'PskKeyExchangeMode ke_modes<1..255>', 'RFC 8446 §4.2.9'),
  renegotiated: b(0, 255, 'opaque renegotiated_connection<0..255>', 'RFC 5746 §3.2'),
  pointFormats: b(1, 255, 'ECPointFormat ec_point_format_list<1..2^8-1>', 'RFC 8422 §5.1.2'),
  distinguishedName: b(1, U16, 'opaque DistinguishedName<1..2^16-1>', 'RFC 8446 §4.2.4'),
  cookie: b(1, U16, 'opaque cookie<1..2^16-1>', 'RFC 8446 §4.2.2'),
  responderIds: b(0, U16, 'ResponderID responder_id_list<0..2^16-1>', 'RFC 6066 §8'),
  requestExtensions: b(0, U16, 'Extensions request_extensions<0..2^16-1>', 'RFC 6066 §8'),
  ocspResponse: b(1, 16777215, 'opaque OCSPResponse<1..2^24-1>', 'RFC 6066 §8'),
} as const;

/** Empty-by-definition extensions: their presence is the whole message. */
const EMPTY_RULES: ReadonlyMap<number, string> = new Map([
  [EXT_EXTENDED_MASTER_SECRET, 'RFC 7627 §5.1'],
  [EXT_ENCRYPT_THEN_MAC, 'RFC 7366 §2'],
  [EXT_POST_HANDSHAKE_AUTH, 'RFC 8446 §4.2.6'],
]);

/**
 * A readable ALPN protocol id: printable ASCII as is, any other byte as `\xHH` and a backslash as
 * `\\`, so that an id made of other bytes can never read as a name (the bytes ba ad are `\xba\xad`,
 * never the string `0xbaad`, which is itself a valid ASCII id).
 */
export function protocolId(buf: Uint8Array, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end && plain; i++) plain = buf[i] >= 0x20 && buf[i] <= 0x7e && buf[i] !== 0x5c;
  if (plain) return latin1.decode(buf.subarray(start, end));
  let out = '';
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += String.fromCharCode(c);
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function u16List(r: ByteReader, end: number, map: (code: number) => NamedCode): NamedCode[] {
  const out: NamedCode[] = [];
  while (end - r.pos >= 2) {
    out.push(map((r.buf[r.pos] << 8) | r.buf[r.pos + 1]));
    r.pos += 2;
  }
  r.pos = end;
  return out;
}

/** Decodes one extension's content; `r` spans exactly the extension_data. */
function decodeContent(type: number, r: ByteReader, where: ExtensionContext, era: SpecEra): ExtensionValue | undefined {
  const buf = r.buf;
  const fromServer = where !== 'ClientHello';
  switch (type) {
    case EXT_SERVER_NAME: {
      if (r.remaining() === 0) return { kind: 'server_name', names: [] }; // the server's acknowledgement (RFC 6066 §3)
      const end = r.vector('server_name_list', 2, BOUNDS.serverNameList);
      if (end < 0) return { kind: 'server_name', names: [] };
      const names: string[] = [];
      const outer = r.narrow(end);
      while (r.pos < end) {
        const nameType = r.u8('name_type');
        const nameEnd = r.vector('host_name', 2, BOUNDS.hostName);
        if (nameType < 0 || nameEnd < 0) break;
        if (nameType === 0) names.push(latin1.decode(buf.subarray(r.pos, nameEnd)));
        r.pos = nameEnd;
      }
      r.widen(outer);
      return { kind: 'server_name', names };
    }
    case EXT_SUPPORTED_VERSIONS: {
      if (where === 'ClientHello') {
        const end = r.vector('versions', 1, BOUNDS.versions);
        if (end < 0) return { kind: 'supported_versions', versions: [] };
        const versions: ProtocolVersion[] = [];
        while (end - r.pos >= 2) { versions.push((buf[r.pos] << 8) | buf[r.pos + 1]); r.pos += 2; }
        r.pos = end;
        return { kind: 'supported_versions', versions };
      }
      const v = r.u16('selected_version');
      return { kind: 'supported_versions', versions: v < 0 ? [] : [v] };
    }
    case EXT_SUPPORTED_GROUPS: {
      const end = r.vector('named_group_list', 2, BOUNDS.groups);
      return { kind: 'supported_groups', groups: end < 0 ? [] : u16List(r, end, namedGroup) };
    }
    case EXT_SIGNATURE_ALGORITHMS:
    case EXT_SIGNATURE_ALGORITHMS_CERT: {
      const end = r.vector('supported_signature_algorithms', 2, era === 'tls13' ? BOUNDS.sigAlgs13 : BOUNDS.sigAlgs12);
      return { kind: 'signature_algorithms', schemes: end < 0 ? [] : u16List(r, end, signatureScheme) };
    }
    case EXT_KEY_SHARE:
    case EXT_KEY_SHARE_DRAFT: {
      if (where === 'HelloRetryRequest') {
        const g = r.u16('selected_group');
        return { kind: 'key_share', groups: g < 0 ? [] : [namedGroup(g)] };
      }
      if (where === 'ServerHello') {
        const g = r.u16('server_share.group');
        const end = r.vector('server_share.key_exchange', 2, BOUNDS.keyExchange);
        if (end >= 0) r.pos = end;
        return { kind: 'key_share', groups: g < 0 ? [] : [namedGroup(g)] };
      }
      const end = r.vector('client_shares', 2, BOUNDS.clientShares);
      const groups: NamedCode[] = [];
      if (end < 0) return { kind: 'key_share', groups };
      const outer = r.narrow(end);
      while (r.pos < end) {
        const g = r.u16('client_shares.group');
        const kxEnd = r.vector('client_shares.key_exchange', 2, BOUNDS.keyExchange);
        if (g < 0 || kxEnd < 0) break;
        groups.push(namedGroup(g));
        r.pos = kxEnd;
      }
      r.widen(outer);
      return { kind: 'key_share', groups };
    }
    case EXT_ALPN: {
      const end = r.vector('protocol_name_list', 2, BOUNDS.alpnList);
      const protocols: string[] = [];
      if (end < 0) return { kind: 'alpn', protocols };
      const outer = r.narrow(end);
      while (r.pos < end) {
        const nameEnd = r.vector('protocol_name', 1, BOUNDS.alpnName);
        if (nameEnd < 0) break;
        protocols.push(protocolId(buf, r.pos, nameEnd));
        r.pos = nameEnd;
      }
      r.widen(outer);
      if (fromServer && protocols.length !== 1) {
        r.problems.push(problem('error', 'vector-length', r.field('protocol_name_list'),
          `the server's ALPN list names ${protocols.length} protocols; it must contain exactly one`, 'RFC 7301 §3.1', r.offset()));
      }
      return { kind: 'alpn', protocols };
    }
    case EXT_SESSION_TICKET: {
      const ticketLength = r.remaining();
      r.pos = r.end;
      return { kind: 'session_ticket', ticketLength };
    }
    case EXT_PRE_SHARED_KEY: {
      if (where !== 'ClientHello') {
        const selected = r.u16('selected_identity');
        return selected < 0 ? { kind: 'pre_shared_key' } : { kind: 'pre_shared_key', selectedIdentity: selected };
      }
      const idEnd = r.vector('identities', 2, BOUNDS.pskIdentities);
      if (idEnd < 0) return { kind: 'pre_shared_key', identities: 0 };
      let identities = 0;
      const outer = r.narrow(idEnd);
      while (r.pos < idEnd) {
        const end = r.vector('identities.identity', 2, BOUNDS.pskIdentity);
        if (end < 0) break;
        r.pos = end;
        if (r.u32('identities.obfuscated_ticket_age') < 0) break;
        identities++;
      }
      r.widen(outer);
      const bindersEnd = r.vector('binders', 2, BOUNDS.pskBinders);
      if (bindersEnd >= 0) {
        let binders = 0;
        const outerB = r.narrow(bindersEnd);
        while (r.pos < bindersEnd) {
          const end = r.vector('binders.binder', 1, BOUNDS.pskBinder);
          if (end < 0) break;
          r.pos = end;
          binders++;
        }
        r.widen(outerB);
        if (binders !== identities) {
          r.problems.push(problem('error', 'psk-binder-count', r.field('binders'),
            `${identities} PSK identities but ${binders} binders; there must be one binder per identity`, 'RFC 8446 §4.2.11', r.offset()));
        }
      }
      return { kind: 'pre_shared_key', identities };
    }
    case EXT_PSK_KEY_EXCHANGE_MODES: {
      const end = r.vector('ke_modes', 1, BOUNDS.pskModes);
      const modes: number[] = [];
      if (end < 0) return { kind: 'psk_key_exchange_modes', modes };
      while (r.pos < end) modes.push(buf[r.pos++]);
      return { kind: 'psk_key_exchange_modes', modes };
    }
    case EXT_EARLY_DATA: {
      if (where === 'NewSessionTicket') {
        const max = r.u32('max_early_data_size');
        return max < 0 ? { kind: 'early_data' } : { kind: 'early_data', maxEarlyDataSize: max };
      }
      return { kind: 'early_data' };
    }
    case EXT_RENEGOTIATION_INFO: {
      const end = r.vector('renegotiated_connection', 1, BOUNDS.renegotiated);
      if (end < 0) return { kind: 'renegotiation_info', length: 0 };
      const length = end - r.pos;
      r.pos = end;
      return { kind: 'renegotiation_info', length };
    }
    case EXT_STATUS_REQUEST: {
      if (r.remaining() === 0) return FLAG; // the server's acknowledgement (RFC 6066 §8)
      const statusType = r.u8('status_type');
      if (statusType < 0) return FLAG;
      if (where === 'Certificate') {
        // TLS 1.3 carries the CertificateStatus itself in the end-entity's extensions (RFC 8446 §4.4.2.1).
        const end = r.vector('response', 3, BOUNDS.ocspResponse);
        if (end >= 0) r.pos = end;
      } else if (statusType === 1) {
        const idsEnd = r.vector('responder_id_list', 2, BOUNDS.responderIds);
        if (idsEnd >= 0) {
          r.pos = idsEnd;
          const extEnd = r.vector('request_extensions', 2, BOUNDS.requestExtensions);
          if (extEnd >= 0) r.pos = extEnd;
        }
      } else {
        r.pos = r.end; // other status types have their own request layout
      }
      return { kind: 'status_request', statusType };
    }
    case EXT_EC_POINT_FORMATS: {
      const end = r.vector('ec_point_format_list', 1, BOUNDS.pointFormats);
      const formats: number[] = [];
      if (end < 0) return { kind: 'ec_point_formats', formats };
      while (r.pos < end) formats.push(buf[r.pos++]);
      return { kind: 'ec_point_formats', formats };
    }
    case EXT_RECORD_SIZE_LIMIT: {
      const limit = r.u16('record_size_limit');
      if (limit < 0) return undefined;
      // Values above the protocol's maximum are legal (a client offering TLS 1.2 and 1.3 sends 2^14+1).
      if (limit < 64) {
        r.problems.push(problem('error', 'bad-value', r.field('record_size_limit'),
          `record_size_limit ${limit} is below 64; the peer must answer illegal_parameter`, 'RFC 8449 §4', r.offset() - 2));
      }
      return { kind: 'record_size_limit', limit };
    }
    case EXT_CERTIFICATE_AUTHORITIES: {
      // In a CertificateRequest the list's lower bound is judged by checkCertificateRequest, with the version.
      const bound = where === 'CertificateRequest' ? { ...authoritiesExtension(), min: 0 } : authoritiesExtension();
      const end = r.vector('authorities', 2, bound);
      const authorities: DistinguishedName[] = [];
      if (end < 0) return { kind: 'certificate_authorities', authorities, listLength: 0 };
      const listLength = end - r.pos;
      const outer = r.narrow(end);
      while (r.pos < end) {
        const dnEnd = r.vector('authorities.DistinguishedName', 2, BOUNDS.distinguishedName);
        if (dnEnd < 0) break;
        authorities.push(decodeDistinguishedName(buf.subarray(r.pos, dnEnd)));
        r.pos = dnEnd;
      }
      r.widen(outer);
      return { kind: 'certificate_authorities', authorities, listLength };
    }
    case EXT_COOKIE: {
      const end = r.vector('cookie', 2, BOUNDS.cookie);
      if (end < 0) return { kind: 'cookie', length: 0 };
      const length = end - r.pos;
      r.pos = end;
      return { kind: 'cookie', length };
    }
    case EXT_PADDING: {
      const length = r.remaining();
      for (let i = r.pos; i < r.end; i++) {
        if (buf[i] !== 0) {
          r.problems.push(problem('warning', 'bad-value', r.field(''),
            'padding extension contains non-zero bytes; it must be filled with zeros', 'RFC 7685 §3', i - r.origin));
          break;
        }
      }
      r.pos = r.end;
      return { kind: 'padding', length };
    }
    default: {
      const rule = EMPTY_RULES.get(type);
      if (rule === undefined) {
        r.pos = r.end; // kept by number only
        return undefined;
      }
      if (r.remaining() > 0) {
        r.problems.push(problem('error', 'bad-length', r.field(''),
          `${extensionName(type)} must have empty extension_data but carries ${r.remaining()} bytes`, rule, r.offset()));
        r.pos = r.end;
      }
      return FLAG;
    }
  }
}

export interface ExtensionBlock {
  readonly extensions: Extension[];
  /** Length of the extensions vector as sent. */
  readonly length: number;
}

/**
 * Reads an `Extension extensions<...>` block at the reader's position, decoding each extension.
 * Duplicates are reported (RFC 5246 §7.4.1.4, RFC 8446 §4.2). Returns null when the length
 * prefix itself is missing or overruns the message.
 */
export function readExtensionBlock(r: ByteReader, where: ExtensionContext, era: SpecEra, bound: VectorBound): ExtensionBlock | null {
  const blockEnd = r.vector('extensions', 2, bound);
  if (blockEnd < 0) return null;
  const length = blockEnd - r.pos;
  const extensions: Extension[] = [];
  const seen = new Set<number>();
  const problems = r.problems;
  while (r.pos < blockEnd) {
    const at = r.pos - r.origin;
    if (blockEnd - r.pos < 4) {
      problems.push(problem('error', 'buffer-too-small', r.field('extensions'),
        `${blockEnd - r.pos} bytes left in the extensions block, too few for an extension header (4 bytes)`, undefined, at));
      r.pos = blockEnd;
      break;
    }
    const type = (r.buf[r.pos] << 8) | r.buf[r.pos + 1];
    const len = (r.buf[r.pos + 2] << 8) | r.buf[r.pos + 3];
    const name = extensionName(type);
    r.pos += 4;
    const path = `${r.path}.extensions.${name}`;
    if (len > blockEnd - r.pos) {
      problems.push(problem('error', 'length-overrun', path,
        `${name} extension length ${len} overruns the extensions block: only ${blockEnd - r.pos} bytes remain`, ruleFor('Extensions', era), at));
      extensions.push({ type, name, length: len });
      r.pos = blockEnd;
      break;
    }
    if (seen.has(type)) {
      problems.push(problem('error', 'duplicate-extension', path,
        `${name} appears more than once; there must not be more than one extension of the same type`, ruleFor('Extensions', era), at));
    }
    seen.add(type);
    const sub = new ByteReader(r.buf, r.pos, r.pos + len, problems, path, r.origin);
    const value = decodeContent(type, sub, where, era);
    sub.trailing();
    r.pos += len;
    extensions.push(value !== undefined ? { type, name, length: len, value } : { type, name, length: len });
  }
  r.pos = blockEnd;
  if (where === 'ClientHello') {
    const psk = extensions.findIndex((e) => e.type === EXT_PRE_SHARED_KEY);
    if (psk >= 0 && psk !== extensions.length - 1) {
      problems.push(problem('error', 'extension-order', `${r.path}.extensions.pre_shared_key`,
        'pre_shared_key is not the last extension of the ClientHello', 'RFC 8446 §4.2.11'));
    }
  }
  return { extensions, length };
}

type Tls13Message = 'CH' | 'SH' | 'HRR' | 'EE' | 'CT' | 'CR' | 'NST';

/** RFC 8446 §4.2: the messages each TLS 1.3 extension may appear in (extensions outside this table are not judged). */
const TLS13_PLACEMENT: ReadonlyMap<number, readonly Tls13Message[]> = new Map<number, readonly Tls13Message[]>([
  [0, ['CH', 'EE']], [1, ['CH', 'EE']], [5, ['CH', 'CR', 'CT']], [10, ['CH', 'EE']], [13, ['CH', 'CR']],
  [14, ['CH', 'EE']], [15, ['CH', 'EE']], [16, ['CH', 'EE']], [18, ['CH', 'CR', 'CT']], [19, ['CH', 'EE']],
  [20, ['CH', 'EE']], [21, ['CH']], [51, ['CH', 'SH', 'HRR']], [41, ['CH', 'SH']], [45, ['CH']],
  [42, ['CH', 'EE', 'NST']], [44, ['CH', 'HRR']], [43, ['CH', 'SH', 'HRR']], [47, ['CH', 'CR']], [48, ['CR']],
  [49, ['CH']], [50, ['CH', 'CR']],
]);

const PLACEMENT_KEY: Readonly<Record<ExtensionContext, Tls13Message>> = {
  ClientHello: 'CH', ServerHello: 'SH', HelloRetryRequest: 'HRR', EncryptedExtensions: 'EE',
  Certificate: 'CT', CertificateRequest: 'CR', NewSessionTicket: 'NST',
};

/**
 * TLS 1.3 only: an extension that RFC 8446 §4.2 does not list for this message (ALPN in a
 * ServerHello instead of EncryptedExtensions, say) must make the peer abort with illegal_parameter.
 */
export function checkTls13Placement(extensions: readonly Extension[], where: ExtensionContext, problems: DecodeProblem[], path: string): void {
  const key = PLACEMENT_KEY[where];
  for (const e of extensions) {
    const allowed = TLS13_PLACEMENT.get(e.type);
    if (allowed !== undefined && !allowed.includes(key)) {
      problems.push(problem('error', 'extension-not-allowed', `${path}.extensions.${e.name}`,
        `${e.name} may not appear in a TLS 1.3 ${where} (only in ${allowed.join(', ')}); the peer must abort with illegal_parameter`,
        'RFC 8446 §4.2'));
    }
  }
}

/** The first extension of a type, if present. */
export function findExtension(extensions: readonly Extension[], type: number): Extension | undefined {
  for (const e of extensions) if (e.type === type) return e;
  return undefined;
}
