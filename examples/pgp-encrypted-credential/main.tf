# Keep the password out of plain-text state: it is stored only encrypted to this OpenPGP
# public key. Decrypt it with:
#   terraform output -raw encrypted_password | base64 -d | gpg --decrypt
variable "pgp_public_key" {
  description = "A base64-encoded binary OpenPGP public key: gpg --export KEY | base64 -w0"
  type        = string
}

resource "aws_iam_user" "example" {
  name = "example"
}

resource "aws_iam_service_specific_credential" "git" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.example.name
  pgp_key      = var.pgp_public_key
}

output "encrypted_password" {
  value = aws_iam_service_specific_credential.git.encrypted_service_password
}

output "key_fingerprint" {
  value = aws_iam_service_specific_credential.git.key_fingerprint
}
