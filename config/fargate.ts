/**
 * Valid Fargate task sizes (CPU units -> allowed memory in MiB), from the ECS developer guide's
 * "Task CPU and memory" table, Linux platform version 1.4.0, up to 16 vCPU.
 */
const FARGATE_SIZES: Record<number, { min: number; max: number; step: number; extra?: number[] }> = {
  256: { min: 1024, max: 2048, step: 1024, extra: [512] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

export const FARGATE_CPU_VALUES: readonly number[] = Object.keys(FARGATE_SIZES).map(Number);

export function isValidFargateSize(cpu: number, memory: number): boolean {
  const size = FARGATE_SIZES[cpu];
  if (!size) return false;
  if (size.extra?.includes(memory)) return true;
  return memory >= size.min && memory <= size.max && (memory - size.min) % size.step === 0;
}

/** The allowed memory values for a CPU size, in words, for error messages. */
export function describeFargateMemory(cpu: number): string {
  const size = FARGATE_SIZES[cpu];
  if (!size) return `INFRA_ECS_CPU must be one of ${FARGATE_CPU_VALUES.join(", ")}`;
  const extra = size.extra ? `${size.extra.join(", ")}, or ` : "";
  return `${extra}${size.min} to ${size.max} in steps of ${size.step}`;
}
