// What the verification badge and its step list say, in Dutch (the default) and English. The
// words follow the site's own (api/web/phrases.hpp): grootboek = ledger, registratie = entry,
// controlepunt = checkpoint. Texts are lists of parts: a string, or { code } for a hash or key
// id, which the page shows in <code>.

//! Counts grouped as the page's language writes them (12.345 or 12,345); entry numbers are
//! written "#42", as the site's links do (api/web/site.cpp, EntryLink).
const nlCount = (count) => new Intl.NumberFormat('nl-NL').format(count);
const enCount = (count) => new Intl.NumberFormat('en-GB').format(count);

const NL = {
  locale: 'nl-NL',
  pending: 'Bezig met controleren…',
  outcome: { ok: 'geslaagd', failed: 'mislukt', uncovered: 'nog niet gedekt' },
  steps: {
    key: 'Verificatiesleutel',
    checkpoint: 'Ondertekend controlepunt',
    history: 'Eerder gezien controlepunt',
    coverage: 'Gedekt door het controlepunt',
    proof: 'Bewijs van opname',
    leaf: 'Hash van de registratie',
    root: 'Berekende wortel',
  },
  ok: (size) => [
    `Geverifieerd: deze registratie staat in het ondertekende grootboek (controlepunt met ${nlCount(size)} registraties).`,
  ],
  uncovered: (index, size) => [
    `Nog niet gedekt door een ondertekend controlepunt: registratie #${index}, het laatste controlepunt telt ${nlCount(size)} registraties. Kom later terug.`,
  ],
  failed: (step, reason) => ['Verificatie mislukt bij „', step, '”: ', ...reason],
  details: {
    key: (s) => [`${s.name}, sleutel-id `, { code: s.keyId }],
    checkpoint: (s) => [
      `ondertekend door ${s.name}: ${nlCount(s.size)} registraties, wortel `,
      { code: s.root },
    ],
    history: (s) => [
      s.first
        ? 'het eerste controlepunt dat deze browser ziet; hij bewaart het om het volgende ertegen te controleren'
        : s.same
          ? `gelijk aan het controlepunt dat deze browser bewaarde (${nlCount(s.size)} registraties)`
          : `breidt het bewaarde controlepunt van ${nlCount(s.previousSize)} registraties uit zonder iets te wijzigen (bewijs van consistentie)`,
    ],
    coverage: (s) => [
      `registratie #${s.index} valt binnen de ${nlCount(s.size)} ondertekende registraties`,
    ],
    checkpointMissing: () => ['er is nog geen controlepunt ondertekend'],
    coverageUncovered: (s) => [
      `registratie #${s.index} valt buiten de ${nlCount(s.size)} ondertekende registraties`,
    ],
    proof: (s) => [`${nlCount(s.hashes)} hashes ontvangen`],
    leaf: (s) => [
      'SHA-256(0x00 ‖ bytes) = ',
      { code: s.leafHash },
      ...(s.receipt ? [', de hash op uw ontvangstbewijs'] : []),
    ],
    root: (s) => [{ code: s.computedRoot }, ' is gelijk aan de ondertekende wortel'],
  },
  reasons: {
    key_malformed: () => ['de verificatiesleutel op deze pagina is onleesbaar'],
    key_algorithm: () => [
      'de verificatiesleutel is geen Ed25519-ondertekeningssleutel (algoritmebyte)',
    ],
    key_id_mismatch: () => ['het sleutel-id past niet bij de naam en publieke sleutel'],
    key_changed: (s) => [
      'deze pagina noemt een andere sleutel (',
      { code: s.keyId ?? '' },
      ') dan deze browser hier eerder controleerde (',
      { code: s.pinnedKeyId ?? '' },
      '); kondigde de gemeente een nieuwe sleutel aan, wis dan de opgeslagen gegevens van deze site',
    ],
    index_malformed: () => ['het nummer van de registratie op deze pagina is geen geldig getal'],
    index_not_address: (s) => [
      `deze pagina bewijst registratie #${s.index}, het adres vraagt om #${s.address}`,
    ],
    bytes_malformed: () => ['de bytes van de registratie op deze pagina zijn onleesbaar'],
    shown_not_hashed: () => [
      'de getoonde tekst van de registratie is niet gelijk aan de bytes die worden gecontroleerd',
    ],
    entry_malformed: () => ['de bytes op deze pagina zijn geen registratie met een nummer'],
    entry_other_index: (s) => [
      `andere registratie: deze bytes noemen nummer ${s.named}, het bewijs geldt voor #${s.index}`,
    ],
    expected_leaf_malformed: () => ['de hash van het ontvangstbewijs in het adres is onleesbaar'],
    leaf_not_expected: (s) => [
      'andere registratie: deze bytes hebben hash ',
      { code: s.leafHash },
      ', uw ontvangstbewijs noemt ',
      { code: s.expected },
    ],
    network: () => ['netwerkfout: de server is niet bereikt'],
    http_status: (s) => [`netwerkfout: de server antwoordde met HTTP-status ${s.status}`],
    response_too_large: () => ['het antwoord van de server is groter dan toegestaan'],
    note_malformed: () => ['het controlepunt is geen geldige ondertekende notitie'],
    key_unknown: () => [
      'sleutel onbekend: het controlepunt draagt geen handtekening van de bekende sleutel',
    ],
    signature_invalid: () => [
      'handtekening ongeldig: de handtekening op het controlepunt klopt niet',
    ],
    crypto_unsupported: () => [
      'deze browser kan Ed25519-handtekeningen niet controleren; gebruik wijkbudget-verify',
    ],
    checkpoint_malformed: () => ['het controlepunt is onleesbaar'],
    origin_mismatch: () => ['het controlepunt hoort bij een ander grootboek dan de sleutel'],
    proof_malformed: () => ['bewijs onleesbaar: het inclusiebewijs heeft niet de vereiste vorm'],
    checkpoint_vanished: (s) => [
      `geschiedenis teruggedraaid: de server heeft geen controlepunt, deze browser zag er eerder een van ${nlCount(s.previousSize)} registraties`,
    ],
    checkpoint_rollback: (s) => [
      `geschiedenis teruggedraaid: het controlepunt telt ${nlCount(s.size)} registraties, deze browser zag er eerder ${nlCount(s.previousSize)}`,
    ],
    checkpoint_fork: (s) => [
      `geschiedenis herschreven: een ander controlepunt van ${nlCount(s.size)} registraties dan deze browser eerder zag`,
    ],
    consistency_failed: (s) => [
      `geschiedenis herschreven: het bewijs van consistentie toont niet dat dit controlepunt het eerdere van ${nlCount(s.previousSize)} registraties uitbreidt`,
    ],
    consistency_malformed: () => ['bewijs onleesbaar: het bewijs van consistentie heeft niet de vereiste vorm'],
    consistency_other_sizes: () => [
      'bewijs onleesbaar: het bewijs van consistentie hoort bij andere omvangen',
    ],
    proof_other_position: () => [
      'bewijs onleesbaar: het bewijs hoort bij een andere registratie of omvang',
    ],
    proof_wrong_length: () => ['bewijs onleesbaar: het bewijs heeft het verkeerde aantal hashes'],
    root_mismatch: (s) => [
      'wortel wijkt af: de bytes van de registratie leiden niet tot de ondertekende wortel (berekend ',
      { code: s.computedRoot },
      ', ondertekend ',
      { code: s.signedRoot },
      ')',
    ],
    internal: (s) => [`onverwachte fout: ${s.message}`],
  },
};

const EN = {
  locale: 'en-GB',
  pending: 'Verifying…',
  outcome: { ok: 'passed', failed: 'failed', uncovered: 'not yet covered' },
  steps: {
    key: 'Verifier key',
    checkpoint: 'Signed checkpoint',
    history: 'Checkpoint seen before',
    coverage: 'Covered by the checkpoint',
    proof: 'Inclusion proof',
    leaf: 'Hash of the entry',
    root: 'Computed root',
  },
  ok: (size) => [
    `Verified: this entry is in the signed ledger (checkpoint of ${enCount(size)} entries).`,
  ],
  uncovered: (index, size) => [
    `Not yet covered by a signed checkpoint: entry #${index}, the latest checkpoint holds ${enCount(size)} entries. Check again later.`,
  ],
  failed: (step, reason) => ['Verification failed at “', step, '”: ', ...reason],
  details: {
    key: (s) => [`${s.name}, key id `, { code: s.keyId }],
    checkpoint: (s) => [`signed by ${s.name}: ${enCount(s.size)} entries, root `, { code: s.root }],
    history: (s) => [
      s.first
        ? 'the first checkpoint this browser sees; it keeps it to check the next one against'
        : s.same
          ? `the same as the checkpoint this browser kept (${enCount(s.size)} entries)`
          : `extends the kept checkpoint of ${enCount(s.previousSize)} entries without changing anything (consistency proof)`,
    ],
    coverage: (s) => [`entry #${s.index} lies within the ${enCount(s.size)} signed entries`],
    checkpointMissing: () => ['no checkpoint has been signed yet'],
    coverageUncovered: (s) => [
      `entry #${s.index} lies beyond the ${enCount(s.size)} signed entries`,
    ],
    proof: (s) => [`${enCount(s.hashes)} hashes received`],
    leaf: (s) => [
      'SHA-256(0x00 ‖ bytes) = ',
      { code: s.leafHash },
      ...(s.receipt ? [', the hash on your receipt'] : []),
    ],
    root: (s) => [{ code: s.computedRoot }, ' equals the signed root'],
  },
  reasons: {
    key_malformed: () => ['the verifier key on this page is malformed'],
    key_algorithm: () => ['the verifier key is not an Ed25519 signing key (algorithm byte)'],
    key_id_mismatch: () => ['the key id does not match the key name and public key'],
    key_changed: (s) => [
      'this page names another key (',
      { code: s.keyId ?? '' },
      ') than the one this browser checked here before (',
      { code: s.pinnedKeyId ?? '' },
      "); if the municipality announced a new key, clear this site's stored data",
    ],
    index_malformed: () => ['the entry number on this page is not a valid number'],
    index_not_address: (s) => [
      `this page proves entry #${s.index}, the address asks for #${s.address}`,
    ],
    bytes_malformed: () => ["the entry's bytes on this page are unreadable"],
    shown_not_hashed: () => ["the entry's text as shown is not the bytes being verified"],
    entry_malformed: () => ['the bytes on this page are no entry naming its number'],
    entry_other_index: (s) => [
      `another entry: these bytes name number ${s.named}, the proof is for #${s.index}`,
    ],
    expected_leaf_malformed: () => ["the receipt's hash in the address is unreadable"],
    leaf_not_expected: (s) => [
      'another entry: these bytes hash to ',
      { code: s.leafHash },
      ', your receipt names ',
      { code: s.expected },
    ],
    network: () => ['network error: the server could not be reached'],
    http_status: (s) => [`network error: the server answered with HTTP status ${s.status}`],
    response_too_large: () => ["the server's answer is larger than allowed"],
    note_malformed: () => ['the checkpoint is not a well-formed signed note'],
    key_unknown: () => ['key unknown: the checkpoint carries no signature by the known key'],
    signature_invalid: () => ["signature invalid: the checkpoint's signature does not verify"],
    crypto_unsupported: () => [
      'this browser cannot check Ed25519 signatures; use wijkbudget-verify',
    ],
    checkpoint_malformed: () => ['the checkpoint is malformed'],
    origin_mismatch: () => ['the checkpoint belongs to another ledger than the key'],
    proof_malformed: () => [
      'proof malformed: the inclusion proof does not have the required shape',
    ],
    checkpoint_vanished: (s) => [
      `history taken back: the server has no checkpoint, where this browser saw one of ${enCount(s.previousSize)} entries`,
    ],
    checkpoint_rollback: (s) => [
      `history taken back: the checkpoint holds ${enCount(s.size)} entries, where this browser saw ${enCount(s.previousSize)}`,
    ],
    checkpoint_fork: (s) => [
      `history rewritten: another checkpoint of ${enCount(s.size)} entries than this browser saw before`,
    ],
    consistency_failed: (s) => [
      `history rewritten: the consistency proof does not show that this checkpoint extends the earlier one of ${enCount(s.previousSize)} entries`,
    ],
    consistency_malformed: () => [
      'proof malformed: the consistency proof does not have the required shape',
    ],
    consistency_other_sizes: () => ['proof malformed: the consistency proof is for other sizes'],
    proof_other_position: () => ['proof malformed: the proof is for another entry or tree size'],
    proof_wrong_length: () => ['proof malformed: the proof has the wrong number of hashes'],
    root_mismatch: (s) => [
      "root mismatch: the entry's bytes do not hash to the signed root (computed ",
      { code: s.computedRoot },
      ', signed ',
      { code: s.signedRoot },
      ')',
    ],
    internal: (s) => [`unexpected error: ${s.message}`],
  },
};

/** The texts for a page's language: English for "en", Dutch otherwise (as money.js localeOf). */
export function textsFor(lang) {
  return lang === 'en' ? EN : NL;
}

/** The detail parts of a step's outcome. */
export function describeStep(texts, step) {
  if (step.outcome === 'failed') return texts.reasons[step.error]?.(step) ?? [step.error];
  if (step.outcome === 'uncovered') {
    return step.step === 'checkpoint'
      ? texts.details.checkpointMissing(step)
      : texts.details.coverageUncovered(step);
  }
  return texts.details[step.step](step);
}

/** The badge's parts for a finished run. */
export function describeResult(texts, result) {
  if (result.state === 'ok') {
    const checkpoint = result.steps.find((step) => step.step === 'checkpoint');
    return texts.ok(checkpoint.size);
  }
  if (result.state === 'uncovered')
    return texts.uncovered(result.failure.index, result.failure.size);
  return texts.failed(texts.steps[result.failure.step], describeStep(texts, result.failure));
}

/** Plain text of parts, for tests and for attributes. */
export function partsToText(parts) {
  return parts.map((part) => (typeof part === 'string' ? part : part.code)).join('');
}
