//! Qingfeng's sync: keys and signatures, signed change sets, receipts, certificates and bundles.
