import type { PolicyStatement } from "./iam-policy";

/** The push role's policy (delivery-roles.ts): push, and pull for layer reuse, to exactly the given repositories. */
export function pushStatements(repositoryArns: readonly string[]): PolicyStatement[] {
  return [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*" here.
    { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
    {
      Sid: "PushImages",
      Effect: "Allow",
      Action: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ],
      Resource: [...repositoryArns],
    },
  ];
}
