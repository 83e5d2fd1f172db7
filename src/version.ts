/** The provider's release version; packaging names its archives after it. */
export const PROVIDER_VERSION = "0.1.0";

declare const __PACKAGED_VERSION__: string | undefined;

/**
 * The version a mirror offers this build as: PROVIDER_VERSION unless `npm run package --
 * --version` chose another, such as 6.25.0 to satisfy a pin on the official provider.
 */
export const PACKAGED_VERSION: string = typeof __PACKAGED_VERSION__ === "string" ? __PACKAGED_VERSION__ : PROVIDER_VERSION;
