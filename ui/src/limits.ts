// The longest text each registration field takes, the same numbers the core checks
// (`crates/core/src/complaints/limits.rs`; a Rust test compares the two files). The form stops
// typing at these, so an oversized record is never made and never blocks the office's sync.
export const MAX_PERSON_NAME_CHARS = 50;
export const MAX_UNIT_CHARS = 100;
export const MAX_POST_CHARS = 100;
export const MAX_LEVEL_CHARS = 30;
export const MAX_CONTACT_CHARS = 100;
export const MAX_ADDRESS_CHARS = 200;
export const MAX_CATEGORY_CHARS = 30;
export const MAX_CATEGORIES = 20;
export const MAX_NOTE_CHARS = 2000;
export const MAX_CONTENT_CHARS = 20000;
