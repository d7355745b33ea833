// The sandbox's certificate authority: a CA kept on disk (so a CA trusted once stays trusted) and the certificates the
// edge serves, issued as Let's Encrypt issues Netlify's (90 days, the site's names as subjectAltName).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

/** Let's Encrypt's certificate lifetime. */
export const CERT_VALIDITY_DAYS = 90;
const CA_VALIDITY_YEARS = 10;

export interface CertificateAuthority {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  certPem: string;
  certPath: string;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  expiresAt: string;
}

/** RSA keys come from node's crypto (native, fast); forge builds and signs the certificates. */
function rsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    keyPem: privateKey,
  };
}

/** Positive (high bit clear, RFC 5280 4.1.2.2) and unique enough for a sandbox. */
function serialNumber(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

/** The CA in `dir` (ca.pem, ca-key.pem) while it has a day left; otherwise a new one, written there. */
export function loadOrCreateCa(dir: string): CertificateAuthority {
  const certPath = path.join(dir, 'ca.pem');
  const keyPath = path.join(dir, 'ca-key.pem');
  if (fs.existsSync(certPath) && fs.existsSync(keyPath)) {
    const certPem = fs.readFileSync(certPath, 'utf8');
    const cert = forge.pki.certificateFromPem(certPem);
    if (cert.validity.notAfter.getTime() > Date.now() + 86_400_000) {
      return { cert, key: forge.pki.privateKeyFromPem(fs.readFileSync(keyPath, 'utf8')) as forge.pki.rsa.PrivateKey, certPem, certPath };
    }
  }
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date();
  cert.validity.notAfter.setUTCFullYear(cert.validity.notAfter.getUTCFullYear() + CA_VALIDITY_YEARS);
  const subject = [
    { name: 'commonName', value: `Conciergerie Sandbox CA (${os.hostname()})` },
    { name: 'organizationName', value: 'Conciergerie sandbox' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(keyPath, keys.keyPem, { mode: 0o600 });
  fs.writeFileSync(certPath, certPem);
  return { cert, key: keys.privateKey, certPem, certPath };
}

// Sandbox certificates share one key pair and are signed with node's native RSA rather than forge's JavaScript one, so
// that issuing stays cheap next to the app's own work under load (a fresh 2048-bit key costs ~0.4 s of CPU, a forge
// signature ~0.1 s). Each certificate still has its own names and serial.
let leafKeys: ReturnType<typeof rsaKeyPair> | undefined;
const nativeCaKeys = new WeakMap<object, crypto.KeyObject>();
/** SHA-256's DigestInfo prefix (RFC 8017, 9.2): RSASSA-PKCS1-v1_5 signs prefix + hash. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');
function nativeSigner(key: forge.pki.rsa.PrivateKey): { sign(md: forge.md.MessageDigest): string } {
  let native = nativeCaKeys.get(key);
  if (!native) nativeCaKeys.set(key, (native = crypto.createPrivateKey(forge.pki.privateKeyToPem(key))));
  return {
    sign: (md) => {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const padded = { key: native!, padding: crypto.constants.RSA_PKCS1_PADDING };
      return crypto.privateEncrypt(padded, Buffer.concat([SHA256_DIGEST_INFO, digest])).toString('binary');
    },
  };
}

/** A server certificate for `names` (the first is the subject), valid from a minute ago for `lifetimeMs`. */
export function issueCertificate(ca: CertificateAuthority, names: string[], lifetimeMs = CERT_VALIDITY_DAYS * 86_400_000): IssuedCertificate {
  const keys = (leafKeys ??= rsaKeyPair());
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + lifetimeMs);
  cert.setSubject([{ name: 'commonName', value: names[0] }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((value) => ({ type: 2, value })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(nativeSigner(ca.key) as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem, expiresAt: cert.validity.notAfter.toISOString() };
}
