// Outbound calls and the SSRF guard every one of them goes through.
export * from './address-policy';
export * from './callback-guard';
export * from './outbound-post';
