# A Bedrock API key that lives 90 days and is replaced by the first plan within 14 days of its
# expiry (by IAM's clock). create_before_destroy makes the new key before the old one goes.
resource "aws_iam_user" "example" {
  name = "example"
}

resource "aws_iam_service_specific_credential" "bedrock" {
  service_name        = "bedrock.amazonaws.com"
  user_name           = aws_iam_user.example.name
  credential_age_days = 90
  early_renewal_days  = 14

  lifecycle {
    create_before_destroy = true
  }
}
