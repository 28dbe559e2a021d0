import { secretsManagerResource, type SecretReference } from "../config/secrets";
import type { SecretVariable } from "../constructs/fargate-service";

/** The account and region a stack deploys to (the partition and account may be data source tokens). */
export interface StackLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * What a container and its execution role need from a `SECRET_*` reference of the config: the ARN
 * ECS reads (always a full ARN, so that IAM grants match exactly: `ssm:/name` becomes the
 * parameter's ARN in the stack's account and region) and the resource to grant read on.
 */
export function secretVariable(variable: string, reference: SecretReference, location: StackLocation): SecretVariable {
  if (reference.service === "secretsmanager") {
    return { variable, valueFrom: reference.arn, store: "secretsmanager", iamResource: secretsManagerResource(reference.secretArn) };
  }
  const valueFrom = reference.arn ?? `arn:${location.partition}:ssm:${location.region}:${location.accountId}:parameter${reference.parameterName}`;
  return { variable, valueFrom, store: "ssm", iamResource: valueFrom };
}
