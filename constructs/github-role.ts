import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { GitHubOidc } from "./github-oidc";
import { policyDocument, type PolicyStatement } from "./iam-policy";
import { ConstructPropsError } from "./errors";
import { CI_ROLE_PATH } from "./names";

/** IAM's limit on a role's inline policies (characters, whitespace excluded). */
export const INLINE_POLICY_LIMIT = 10240;

export interface GitHubRoleProps {
  /** The OIDC provider and trust policy builder. */
  readonly oidc: GitHubOidc;
  /** Role name, e.g. `city-guided-github-push`. */
  readonly name: string;
  /** What the role is for, shown in the IAM console. */
  readonly description: string;
  /** Exact `sub` claims allowed to assume the role (see `githubSubject`). */
  readonly subjects: readonly string[];
  /** Inline permissions (none: no inline policy). */
  readonly statements: readonly PolicyStatement[];
  /** Managed policies attached to the role (for permissions beyond the inline size limit). @default none */
  readonly attachedPolicyArns?: readonly string[];
  /** Managed policy capping the role. @default none */
  readonly permissionsBoundaryArn?: string;
  /** What makes the policy grow, told when it exceeds IAM's limit. @default none */
  readonly sizeHint?: string;
  /** Session length in seconds; a deploy and its wait fit in one hour. @default 3600 */
  readonly maxSessionDuration?: number;
}

/**
 * Length IAM will count once Terraform resolves the references (unresolved, a token such as the
 * account ID reads `${TfToken[TOKEN.12]}`): each counted as 12 characters, an account ID's length.
 */
export function policyLength(document: string): number {
  return document.replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, "x".repeat(12)).length;
}

/** A role that GitHub Actions jobs with exactly the given `sub` claims assume through OIDC. */
export class GitHubRole extends Construct {
  public readonly role: IamRole;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: GitHubRoleProps) {
    super(scope, id);
    // Wildcard actions are the policy aspect's to refuse (policy/iam-rules.ts), on every policy of the app.
    const policy = policyDocument(props.statements);
    if (policyLength(policy) > INLINE_POLICY_LIMIT) {
      const hint = props.sizeHint ? `: ${props.sizeHint}` : "";
      throw new ConstructPropsError(`Invalid policy for role ${props.name}: ${policyLength(policy)} characters, IAM allows ${INLINE_POLICY_LIMIT}${hint}`);
    }
    this.role = new IamRole(this, "role", {
      name: props.name,
      path: CI_ROLE_PATH,
      description: props.description,
      assumeRolePolicy: props.oidc.trustPolicy(props.subjects),
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    if (props.statements.length > 0) new IamRolePolicy(this, "policy", { name: "permissions", role: this.role.id, policy });
    (props.attachedPolicyArns ?? []).forEach((policyArn, index) => {
      new IamRolePolicyAttachment(this, `attachment-${index + 1}`, { role: this.role.name, policyArn });
    });
    this.arn = this.role.arn;
  }
}
