# Bring a credential that already exists under Terraform's management. The id is
# service_name:user_name:service_specific_credential_id; the data source
# aws_iam_service_specific_credentials lists a user's credentials with these ids (see
# examples/list-credentials), as does
#   aws iam list-service-specific-credentials --user-name example
#
# Let Terraform write the resource block for it, review generated.tf, then apply:
#   terraform plan -generate-config-out=generated.tf
#   terraform apply
#
# IAM shows a password or API key secret only once, when it is created: after the import,
# service_password and service_credential_secret are null.
import {
  to = aws_iam_service_specific_credential.example
  id = "codecommit.amazonaws.com:example:ACCAEXAMPLE123EXAMPLE"
}
