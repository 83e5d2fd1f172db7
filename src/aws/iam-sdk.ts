/**
 * The parts of `@aws-sdk/client-iam` the provider uses. iam-api.ts imports this module
 * dynamically; naming the commands here lets the bundler leave the other ~160 out, which is
 * code every provider process would otherwise parse.
 */
export {
  IAMClient,
  CreateServiceSpecificCredentialCommand,
  ListServiceSpecificCredentialsCommand,
  UpdateServiceSpecificCredentialCommand,
  ResetServiceSpecificCredentialCommand,
  DeleteServiceSpecificCredentialCommand,
  CreateUserCommand,
  GetUserCommand,
  UpdateUserCommand,
  DeleteUserCommand,
  PutUserPermissionsBoundaryCommand,
  DeleteUserPermissionsBoundaryCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  ListAccessKeysCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
} from "@aws-sdk/client-iam";
