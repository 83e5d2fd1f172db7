/** The schema of aws_iam_user, and typed access to its objects' attributes. */
import { known } from "../values/value.ts";
import { ctyBool, ctyMap, ctyString } from "../values/cty-type.ts";
import { defineSchema } from "../framework/schema.ts";
import { type AttributeChanges, attributeAccess } from "../framework/attribute-access.ts";
import { stringMatches } from "../framework/validators.ts";
import { userNameValidators } from "./iam-user-name.ts";

export const iamUserSchema = defineSchema({
  version: 0,
  block: {
    description: "Manages an IAM user.",
    attributes: {
      id: { type: ctyString, computed: true, description: "The user's name." },
      name: {
        type: ctyString,
        required: true,
        description: "The user's name. Changing it renames the user in place.",
        validators: userNameValidators,
      },
      path: {
        type: ctyString,
        optional: true,
        computed: true,
        default: known("/"),
        description: "Path of the user, such as `/developers/`. Default `/`.",
        validators: [stringMatches(/^\/([\x21-\x7e]*\/)?$/, "is not an IAM path: it must begin and end with /")],
      },
      permissions_boundary: { type: ctyString, optional: true, description: "ARN of the managed policy that bounds the user's permissions." },
      force_destroy: {
        type: ctyBool,
        optional: true,
        computed: true,
        default: known(false),
        description: "Delete the user even if it has service-specific credentials, access keys or a login profile that Terraform does not manage.",
      },
      tags: { type: ctyMap(ctyString), optional: true, description: "Tags of the user." },
      tags_all: { type: ctyMap(ctyString), computed: true, description: "All tags of the user, including the provider's `default_tags`." },
      arn: { type: ctyString, computed: true, stable: true, description: "The user's ARN." },
      unique_id: { type: ctyString, computed: true, stable: true, description: "The user's unique id (`AIDA…`)." },
    },
  },
});

export const userAttributes = attributeAccess(iamUserSchema.block);
export type UserChanges = AttributeChanges<typeof iamUserSchema.block>;
