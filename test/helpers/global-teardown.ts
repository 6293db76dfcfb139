export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as { __linliServices?: { stop(): Promise<void> }[] }).__linliServices ?? [];
  await Promise.all(services.map((service) => service.stop()));
}
