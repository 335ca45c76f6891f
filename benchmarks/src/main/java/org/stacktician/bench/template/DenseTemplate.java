package org.stacktician.bench.template;

/**
 * Generates a template with {@code n} resources and dense references: each resource uses Sub,
 * FindInMap, Ref to a parameter and to the previous resource, GetAtt of earlier resources, Base64
 * of a Join, a conditional tag with Fn::If and AWS::NoValue, and a DependsOn.
 */
public final class DenseTemplate {
  private DenseTemplate() {}

  /** The JSON form. */
  public static String json(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Description\":\"generated\",")
        .append("\"Parameters\":{\"Zone\":{\"Type\":\"String\"},")
        .append("\"Size\":{\"Type\":\"String\",\"Default\":\"small\",\"AllowedValues\":[\"small\",\"large\"]},")
        .append("\"Env\":{\"Type\":\"String\",\"Default\":\"prod\"}},")
        .append("\"Mappings\":{\"SizeMap\":{\"small\":{\"Offering\":\"Small Instance\"},")
        .append("\"large\":{\"Offering\":\"Large Instance\"}}},")
        .append("\"Conditions\":{\"IsProd\":{\"Fn::Equals\":[{\"Ref\":\"Env\"},\"prod\"]}},")
        .append("\"Resources\":{");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("\"R").append(i).append("\":{\"Type\":\"CloudStack::VirtualMachine\",");
      if (i >= 7) {
        sb.append("\"DependsOn\":[\"R").append(i - 7).append("\"],");
      }
      sb.append("\"Properties\":{")
          .append("\"name\":{\"Fn::Sub\":\"${AWS::StackName}-r").append(i).append("-${Zone}\"},")
          .append("\"zoneid\":{\"Ref\":\"Zone\"},")
          .append("\"serviceofferingid\":{\"Fn::FindInMap\":[\"SizeMap\",{\"Ref\":\"Size\"},\"Offering\"]},")
          .append("\"startport\":\"80\",\"endport\":443,\"enabled\":true");
      if (i >= 1) {
        sb.append(",\"networkid\":{\"Ref\":\"R").append(i - 1).append("\"}");
      }
      if (i >= 2) {
        sb.append(",\"ipaddress\":{\"Fn::GetAtt\":[\"R").append(i - 2).append("\",\"ipaddress\"]}");
      }
      if (i >= 3) {
        sb.append(",\"userdata\":{\"Fn::Base64\":{\"Fn::Join\":[\"\",[\"host=\",{\"Fn::GetAtt\":[\"R").append(i - 3)
            .append("\",\"ipaddress\"]},\";zone=\",{\"Ref\":\"Zone\"}]]}}");
      }
      if (i >= 5) {
        sb.append(",\"tags\":[{\"key\":\"peer\",\"value\":{\"Fn::If\":[\"IsProd\",{\"Fn::Sub\":\"${R").append(i - 5)
            .append("}\"},{\"Ref\":\"AWS::NoValue\"}]}},{\"key\":\"env\",\"value\":{\"Ref\":\"Env\"}}]");
      }
      sb.append("}}");
    }
    sb.append("},\"Outputs\":{\"Last\":{\"Value\":{\"Fn::GetAtt\":[\"R").append(n - 1)
        .append("\",\"ipaddress\"]}},\"Zone\":{\"Value\":{\"Ref\":\"Zone\"}}}}");
    return sb.toString();
  }

  /** The YAML form of the same template, with short-form functions. */
  public static String yaml(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append("AWSTemplateFormatVersion: '2010-09-09'\nDescription: generated\nParameters:\n")
        .append("  Zone:\n    Type: String\n")
        .append("  Size:\n    Type: String\n    Default: small\n    AllowedValues: [small, large]\n")
        .append("  Env:\n    Type: String\n    Default: prod\n")
        .append("Mappings:\n  SizeMap:\n    small:\n      Offering: Small Instance\n")
        .append("    large:\n      Offering: Large Instance\n")
        .append("Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n")
        .append("Resources:\n");
    for (int i = 0; i < n; i++) {
      sb.append("  R").append(i).append(":\n    Type: CloudStack::VirtualMachine\n");
      if (i >= 7) {
        sb.append("    DependsOn: [R").append(i - 7).append("]\n");
      }
      sb.append("    Properties:\n")
          .append("      name: !Sub '${AWS::StackName}-r").append(i).append("-${Zone}'\n")
          .append("      zoneid: !Ref Zone\n")
          .append("      serviceofferingid: !FindInMap [SizeMap, !Ref Size, Offering]\n")
          .append("      startport: '80'\n      endport: 443\n      enabled: true\n");
      if (i >= 1) {
        sb.append("      networkid: !Ref R").append(i - 1).append('\n');
      }
      if (i >= 2) {
        sb.append("      ipaddress: !GetAtt R").append(i - 2).append(".ipaddress\n");
      }
      if (i >= 3) {
        sb.append("      userdata: !Base64\n        Fn::Join: ['', ['host=', !GetAtt R").append(i - 3)
            .append(".ipaddress, ';zone=', !Ref Zone]]\n");
      }
      if (i >= 5) {
        sb.append("      tags:\n        - key: peer\n          value: !If [IsProd, !Sub '${R").append(i - 5)
            .append("}', !Ref AWS::NoValue]\n        - key: env\n          value: !Ref Env\n");
      }
    }
    sb.append("Outputs:\n  Last:\n    Value: !GetAtt R").append(n - 1).append(".ipaddress\n")
        .append("  Zone:\n    Value: !Ref Zone\n");
    return sb.toString();
  }
}
