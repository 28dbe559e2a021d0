import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { policyDocument } from "./iam-policy";
import { ConstructPropsError } from "./errors";

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
    throw new ConstructPropsError(`Invalid GitHub repository "${repository}": must be owner/name of one repository, with no wildcard`);
  }
  return repository;
}

/** This repository's workflows that assume a role (`.github/workflows/<file>`), by what they do. */
export const PIPELINE_WORKFLOWS = {
  /** Pull requests: plans with the plan role (the `diff` job). */
  pullRequest: "pull-request.yml",
  /** Daily drift detection: plans with the plan role. */
  drift: "drift.yml",
  /** Reusable deploy: its plan job (plan role) and its apply job (the environment's deploy role). */
  deploy: "deploy.yml",
  /** Reusable image build that the app repository calls: the push role. */
  buildImages: "build-images.yml",
  /** The migration's copy from GHCR: the push role, in the ecr-migration environment. */
  copyImages: "copy-images-from-ghcr.yml",
} as const;

/** The ref of a pull request's merge commit, whatever its number: the only pattern a trust may hold. */
export const PULL_REQUEST_MERGE_REF = "refs/pull/*/merge";

/** The workflow a job runs: a reusable workflow when the job calls one, else the job's own file. */
export interface WorkflowRef {
  /** `owner/name` holding `.github/workflows/<file>`. */
  readonly repository: string;
  readonly file: string;
  /** `refs/heads/main`, or PULL_REQUEST_MERGE_REF for a pull request's run. */
  readonly ref: string;
}

/** `owner/name/.github/workflows/<file>@<ref>`, as GitHub writes `job_workflow_ref`. */
function jobWorkflowRef(workflow: WorkflowRef): string {
  if (!/^[A-Za-z0-9._-]+\.ya?ml$/.test(workflow.file)) throw new ConstructPropsError(`Invalid workflow file name "${workflow.file}"`);
  if (workflow.ref !== PULL_REQUEST_MERGE_REF && !/^refs\/heads\/[A-Za-z0-9._\/-]+$/.test(workflow.ref)) throw new ConstructPropsError(`Invalid workflow ref "${workflow.ref}"`);
  return `${checkRepository(workflow.repository)}/.github/workflows/${workflow.file}@${workflow.ref}`;
}

/**
 * The `sub` claim GitHub puts in a job's token once both repositories customize it to include
 * `repo`, `context` and `job_workflow_ref` (docs/delivery.md, one-time setup): GitHub's OIDC
 * reference gives the form `repo:ORG/REPO:environment:NAME:job_workflow_ref:ORG/REPO/.github/workflows/FILE@REF`.
 * A job with `environment:` gets the environment form whatever its trigger, so a deploy role trusts
 * only jobs that passed that environment's rules; the workflow part pins which workflow's job it is,
 * so another workflow of the same repository, branch or environment gets nothing.
 */
export const githubSubject = {
  branch: (repository: string, branch: string, workflow: WorkflowRef): string =>
    `repo:${checkRepository(repository)}:ref:refs/heads/${branch}:job_workflow_ref:${jobWorkflowRef(workflow)}`,
  /** Any pull request of the repository, running `file` of its merge commit. */
  pullRequest: (repository: string, file: string): string =>
    `repo:${checkRepository(repository)}:pull_request:job_workflow_ref:${jobWorkflowRef({ repository, file, ref: PULL_REQUEST_MERGE_REF })}`,
  environment: (repository: string, environment: string, workflow: WorkflowRef): string => {
    if (!GITHUB_ENVIRONMENT.test(environment)) throw new ConstructPropsError(`Invalid GitHub environment name "${environment}"`);
    return `repo:${checkRepository(repository)}:environment:${environment}:job_workflow_ref:${jobWorkflowRef(workflow)}`;
  },
};

/** The workflow `file` of `repository` at main. */
export const mainWorkflow = (repository: string, file: string): WorkflowRef => ({ repository, file, ref: "refs/heads/main" });

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
        throw new ConstructPropsError(`Invalid GitHub OIDC provider ARN "${props.existingProviderArn}": must be arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`);
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

  /**
   * A trust policy for exactly these `sub` values, with the audience checked too. The one pattern
   * allowed is a pull request's merge ref (its number varies); a trust holding it compares with
   * StringLike, in which the exact values, free of `*` and `?`, still match only themselves.
   */
  trustPolicy(subjects: readonly string[]): string {
    if (subjects.length === 0) throw new Error("A GitHub trust policy needs at least one subject");
    const loose = subjects.find((subject) => /[*?]/.test(subject.replace(`@${PULL_REQUEST_MERGE_REF}`, "")));
    if (loose) throw new Error(`GitHub OIDC subject "${loose}" holds a wildcard: trust exact subjects only`);
    const operator = subjects.some((subject) => subject.includes(PULL_REQUEST_MERGE_REF)) ? "StringLike" : "StringEquals";
    return policyDocument([
      {
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: this.providerArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition:
          operator === "StringEquals"
            ? { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: [...subjects] } }
            : { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE }, StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: [...subjects] } },
      },
    ]);
  }
}
