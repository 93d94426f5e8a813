/** The store cannot be used as asked: the message says why and what to do. */
export class StoreError extends Error {}
