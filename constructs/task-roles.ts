import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyDocument, type PolicyStatement } from "./iam-policy";
import { derivedName } from "./names";

export interface TaskRolesProps {
  /** Prefix of the role names, e.g. `city-guided-staging`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /** ECR repositories the tasks pull from (exactly these, nothing else). */
  readonly repositoryArns: readonly string[];
  /** Log groups the containers write to. */
  readonly logGroupArns: readonly string[];
  /** SSM parameter ARNs the execution role may read for the containers' `secrets`. */
  readonly ssmParameterArns: readonly string[];
  /** Secrets Manager ARNs (or `<arn>-??????` patterns) the execution role may read. */
  readonly secretsManagerArns: readonly string[];
  /** Managed policy capping both roles (the deploy role may only create roles that carry it). @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The two roles of a Fargate task: the execution role ECS itself uses (pull the images, write the
 * logs, read the referenced secrets) and the task role the application's code runs as (no
 * permissions until the application needs some). Both trust ECS tasks of this account only.
 */
export class TaskRoles extends Construct {
  public readonly executionRole: IamRole;
  public readonly taskRole: IamRole;

  constructor(scope: Construct, id: string, props: TaskRolesProps) {
    super(scope, id);
    const trust = policyDocument([
      {
        Sid: "EcsTasksOfThisAccount",
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: ["sts:AssumeRole"],
        Condition: {
          StringEquals: { "aws:SourceAccount": props.accountId },
          ArnLike: { "aws:SourceArn": `arn:${props.partition}:ecs:${props.region}:${props.accountId}:*` },
        },
      },
    ]);

    this.executionRole = new IamRole(this, "execution-role", {
      name: derivedName.taskRole(props.namePrefix, "execution"),
      description: "ECS pulls the images, writes the logs and reads the secrets of the tasks",
      assumeRolePolicy: trust,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    new IamRolePolicy(this, "execution-policy", {
      name: "pull-log-read-secrets",
      role: this.executionRole.id,
      policy: policyDocument(
        executionRoleStatements({ ...props, logResources: props.logGroupArns.map((arn) => `${arn}:log-stream:*`) }),
      ),
    });
    this.taskRole = new IamRole(this, "task-role", {
      name: derivedName.taskRole(props.namePrefix, "task"),
      description: "The application's own AWS identity (no permissions yet)",
      assumeRolePolicy: trust,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
  }
}

/**
 * What the execution role may read and write. The workload boundary (workload-boundary.ts) is
 * built by the same function with the environment's patterns, so the two cannot drift apart.
 */
export interface ExecutionAccess {
  readonly repositoryArns: readonly string[];
  /** Log resources the containers' streams are written to (streams of the log groups, or a pattern). */
  readonly logResources: readonly string[];
  readonly ssmParameterArns: readonly string[];
  readonly secretsManagerArns: readonly string[];
}

/** The execution role's statements; an empty list of parameters or secrets leaves its statement out. */
export function executionRoleStatements(access: ExecutionAccess): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*" here.
    { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
    {
      Sid: "PullImages",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: [...access.repositoryArns],
    },
    { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [...access.logResources] },
  ];
  if (access.ssmParameterArns.length > 0) {
    statements.push({ Sid: "ReadParameters", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [...access.ssmParameterArns] });
  }
  if (access.secretsManagerArns.length > 0) {
    statements.push({ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [...access.secretsManagerArns] });
  }
  return statements;
}
