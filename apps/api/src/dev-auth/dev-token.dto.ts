import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, USER_ID, type Role } from '@wih/domain';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class DevTokenDto {
  @ApiProperty({ description: 'the user id (token subject)' })
  @IsString()
  @Matches(USER_ID, { message: 'userId must be a user id (letters, digits, . _ @ : -)' })
  userId!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) name?: string;
}
