/**
 * DynamoDB TTL attributes hold epoch seconds. Rounding up means TTL never removes an item before
 * its real expiry; an expiry read back is therefore at most one second later than the one written.
 */
export function toEpochSeconds(date: Date): number {
  return Math.ceil(date.getTime() / 1000);
}

export function fromEpochSeconds(seconds: number): Date {
  return new Date(seconds * 1000);
}
