/**
 * Distinguished names (X.501 Name / RDNSequence) as one readable line in the style of RFC 4514:
 * the last RDN first, `type=value` joined by commas, multi-valued RDNs joined by `+`, special
 * characters escaped. Unknown attribute types print as their dotted OID with the value as
 * `#` + hex of its DER (RFC 4514 §2.4). Input that is not a Name prints as hex.
 */
import type { DistinguishedName } from './types.js';
import { toHex } from './hex.js';
import { children, oidToString, readTlv, stringValue, TAG_OID, TAG_SEQUENCE, TAG_SET, type Tlv } from './der.js';

/** Attribute types by OID: RFC 4514 §3 short names, then the other common X.520/PKCS #9 ones. */
const ATTRIBUTE_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.6', 'C'],
  ['2.5.4.9', 'STREET'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['1.2.840.113549.1.9.1', 'emailAddress'],
  ['1.2.840.113549.1.9.2', 'unstructuredName'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.12', 'title'],
  ['2.5.4.13', 'description'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.18', 'postOfficeBox'],
  ['2.5.4.41', 'name'],
  ['2.5.4.42', 'GN'],
  ['2.5.4.43', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC'],
]);

/** RFC 4514 §2.4 escaping, plus control characters as \xx so the result stays on one line. */
function escapeValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    const code = v.charCodeAt(i);
    if (c === '"' || c === '+' || c === ',' || c === ';' || c === '<' || c === '>' || c === '\\') out += '\\' + c;
    else if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(16).padStart(2, '0');
    else if ((i === 0 && (c === ' ' || c === '#')) || (i === v.length - 1 && c === ' ')) out += '\\' + c;
    else out += c;
  }
  return out;
}

function attribute(buf: Uint8Array, atv: Tlv): string | null {
  if (atv.tag !== TAG_SEQUENCE) return null;
  const parts = children(buf, atv);
  if (parts === null || parts.length !== 2 || parts[0].tag !== TAG_OID) return null;
  const oid = oidToString(buf, parts[0].start, parts[0].end);
  if (oid === null) return null;
  const type = ATTRIBUTE_NAMES.get(oid);
  const text = type !== undefined ? stringValue(buf, parts[1]) : null;
  if (type === undefined || text === null) return `${type ?? oid}=#${toHex(buf, parts[1].at, parts[1].end)}`;
  return `${type}=${escapeValue(text)}`;
}

/**
 * The RFC 4514 text of the Name whose TLV is `name`; null when it is not a well-formed
 * SEQUENCE OF SET OF AttributeTypeAndValue.
 */
export function nameText(buf: Uint8Array, name: Tlv): string | null {
  if (name.tag !== TAG_SEQUENCE) return null;
  const rdns = children(buf, name);
  if (rdns === null) return null;
  const texts: string[] = [];
  for (const rdn of rdns) {
    if (rdn.tag !== TAG_SET) return null;
    const atvs = children(buf, rdn);
    if (atvs === null || atvs.length === 0) return null;
    const parts: string[] = [];
    for (const atv of atvs) {
      const a = attribute(buf, atv);
      if (a === null) return null;
      parts.push(a);
    }
    texts.push(parts.join('+'));
  }
  return texts.reverse().join(',');
}

/** A DER-encoded Name (as a CertificateRequest lists it) as readable text, or hex when undecodable. */
export function decodeDistinguishedName(der: Uint8Array): DistinguishedName {
  const t = readTlv(der, 0, der.length);
  const text = t !== null && t.end === der.length ? nameText(der, t) : null;
  return { text: text ?? toHex(der), length: der.length };
}
