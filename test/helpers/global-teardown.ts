export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __linliEngine?: { stop(): Promise<void> } }).__linliEngine?.stop();
}
