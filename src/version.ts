/** The provider's release version; packaging names its archives after it. */
export const PROVIDER_VERSION = "0.1.0";
