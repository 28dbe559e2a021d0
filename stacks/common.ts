import { S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { PROJECT, stateKey } from "../constructs/names";

export interface StackFoundationProps {
  /** Stack name: `registry` or the environment's name. */
  readonly stackName: string;
  readonly region: string;
  readonly stateBucket: string;
  /** Region of the state bucket. @default region */
  readonly stateRegion?: string;
}

/** The tags every resource of a stack carries (the provider's default tags). */
export function stackTags(stackName: string): Record<string, string> {
  return { Project: PROJECT, Environment: stackName, ManagedBy: "cdktf" };
}

/**
 * What every stack has: the AWS provider tagging every resource it creates, and an encrypted S3
 * backend with S3-native locking (a `<key>.tflock` object; no DynamoDB table).
 */
export function addStackFoundation(stack: TerraformStack, props: StackFoundationProps): AwsProvider {
  const provider = new AwsProvider(stack, "aws", {
    region: props.region,
    defaultTags: [{ tags: stackTags(props.stackName) }],
  });
  const backend = new S3Backend(stack, {
    bucket: props.stateBucket,
    key: stateKey(props.stackName),
    region: props.stateRegion ?? props.region,
    encrypt: true,
  });
  // cdktf 0.21's S3Backend has no `useLockfile` yet; Terraform >= 1.11 (S3-native locking, GA) reads it from the backend block.
  backend.addOverride("use_lockfile", true);
  return provider;
}
