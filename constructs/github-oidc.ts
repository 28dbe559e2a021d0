import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { policyDocument } from "./iam-policy";
import { InvalidInputError } from "../config/errors";

/** GitHub Actions' token issuer, as IAM names it in condition keys. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience `aws-actions/configure-aws-credentials` asks GitHub for. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** One GitHub repository, exactly: no wildcard can reach a trust policy. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
/** GitHub environment names as our workflows use them (the stacks' names). */
const GITHUB_ENVIRONMENT = /^[A-Za-z0-9_.-]{1,255}$/;

function checkRepository(repository: string): string {
  if (!GITHUB_REPOSITORY.test(repository)) {
    throw new InvalidInputError(`Invalid GitHub repository "${repository}": must be owner/name of one repository, with no wildcard`);
  }
  return repository;
}

/**
 * The `sub` claim GitHub puts in a job's token. A job with `environment:` gets the environment form
 * whatever its trigger, so a deploy role trusts only jobs that passed that environment's rules.
 */
export const githubSubject = {
  branch: (repository: string, branch: string): string => `repo:${checkRepository(repository)}:ref:refs/heads/${branch}`,
  pullRequest: (repository: string): string => `repo:${checkRepository(repository)}:pull_request`,
  environment: (repository: string, environment: string): string => {
    if (!GITHUB_ENVIRONMENT.test(environment)) throw new InvalidInputError(`Invalid GitHub environment name "${environment}"`);
    return `repo:${checkRepository(repository)}:environment:${environment}`;
  },
};

export interface GitHubOidcProps {
  /**
   * ARN of the account's existing GitHub OIDC provider (an account holds only one per URL).
   * @default undefined: this construct creates the provider
   */
  readonly existingProviderArn?: string;
}

/**
 * The account's trust in GitHub Actions' tokens: the OIDC identity provider (created, or an existing
 * one referenced) and the trust policies of the roles that workflows assume with it.
 */
export class GitHubOidc extends Construct {
  /** ARN of the provider that trust policies name as their federated principal. */
  public readonly providerArn: string;
  /** The provider resource, when this construct creates it. */
  public readonly provider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: GitHubOidcProps = {}) {
    super(scope, id);
    if (props.existingProviderArn !== undefined) {
      if (!/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(props.existingProviderArn)) {
        throw new InvalidInputError(`Invalid GitHub OIDC provider ARN "${props.existingProviderArn}": must be arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`);
      }
      this.providerArn = props.existingProviderArn;
      return;
    }
    // No thumbprint: IAM verifies GitHub's certificate through its own trusted CAs (provider >= 5.81 allows omitting it).
    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });
    this.providerArn = this.provider.arn;
  }

  /** A trust policy for exactly these `sub` values, with the audience checked too. */
  trustPolicy(subjects: readonly string[]): string {
    if (subjects.length === 0) throw new Error("A GitHub trust policy needs at least one subject");
    const loose = subjects.find((subject) => /[*?]/.test(subject));
    if (loose) throw new Error(`GitHub OIDC subject "${loose}" holds a wildcard: trust exact subjects only`);
    return policyDocument([
      {
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: this.providerArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: [...subjects],
          },
        },
      },
    ]);
  }
}
