/** IAM's rule for user names, shared by every resource that names a user. */
import { stringLengthBetween, stringMatches } from "../framework/validators.ts";

export const USER_NAME_PATTERN = /^[\w+=,.@-]+$/;
const USER_NAME_MAX_LENGTH = 64;

export const userNameValidators = [
  stringLengthBetween(1, USER_NAME_MAX_LENGTH),
  stringMatches(USER_NAME_PATTERN, "is not a valid IAM user name: use letters, digits and + = , . @ _ -"),
];

export function isValidUserName(name: string): boolean {
  return name.length <= USER_NAME_MAX_LENGTH && USER_NAME_PATTERN.test(name);
}

/** IAM user names are unique regardless of case: "Jane" and "jane" are the same user. */
export function sameUserName(a: string | undefined, b: string | undefined): b is string {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
